import { describe, expect, it } from 'vitest';

import { buildFeedUrl } from './endpoints';

describe('buildFeedUrl', () => {
  it('uses ws:// on an http:// page', () => {
    expect(buildFeedUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws');
  });

  it('uses wss:// on an https:// page', () => {
    expect(buildFeedUrl({ protocol: 'https:', host: 'radstream.example' })).toBe(
      'wss://radstream.example/ws',
    );
  });
});
