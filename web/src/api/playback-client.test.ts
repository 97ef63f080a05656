import { describe, expect, it } from 'vitest';

import { parsePlaybackBody, readErrorText } from './playback-client';

describe('parsePlaybackBody', () => {
  it.each([0, 1, 60, 3600, 0.5])('accepts the speed %d', (speed) => {
    expect(parsePlaybackBody({ speed })).toEqual({ ok: true, value: speed });
  });

  it.each([-1, '60', null])('rejects the speed %s', (speed) => {
    expect(parsePlaybackBody({ speed })).toEqual({
      ok: false,
      error: `field "speed": expected a number of at least 0, got ${JSON.stringify(speed)}`,
    });
  });

  it('rejects a body that is not an object', () => {
    expect(parsePlaybackBody([60])).toEqual({ ok: false, error: 'expected a JSON object, got [60]' });
  });
});

describe('readErrorText', () => {
  it('returns the error text of a 409 body', () => {
    expect(readErrorText({ error: 'this process runs no ingest stage' })).toBe('this process runs no ingest stage');
  });

  it('returns null for a body without error text', () => {
    expect(readErrorText({ speed: 60 })).toBeNull();
    expect(readErrorText(null)).toBeNull();
    expect(readErrorText({ error: '' })).toBeNull();
  });
});
