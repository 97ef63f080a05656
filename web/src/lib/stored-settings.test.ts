import { describe, expect, it } from 'vitest';

import { DEFAULT_SETTINGS, parseStoredSettings } from './stored-settings';

describe('parseStoredSettings', () => {
  it('returns the defaults without stored text', () => {
    expect(parseStoredSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('reads a minutes limit and a threshold', () => {
    const text = JSON.stringify({ historyLimit: { mode: 'minutes', minutes: 30 }, thresholdCpm: 350 });

    expect(parseStoredSettings(text)).toEqual({ historyLimit: { mode: 'minutes', minutes: 30 }, thresholdCpm: 350 });
  });

  it('reads a count limit', () => {
    const text = JSON.stringify({ historyLimit: { mode: 'readings', count: 100_000 } });

    expect(parseStoredSettings(text).historyLimit).toEqual({ mode: 'readings', count: 100_000 });
  });

  it('falls back per setting for invalid values', () => {
    const text = JSON.stringify({ historyLimit: { mode: 'readings', count: -5 }, thresholdCpm: 200 });

    expect(parseStoredSettings(text)).toEqual({ historyLimit: DEFAULT_SETTINGS.historyLimit, thresholdCpm: 200 });
  });

  it('falls back for a threshold of 0', () => {
    expect(parseStoredSettings(JSON.stringify({ thresholdCpm: 0 })).thresholdCpm).toBe(1000);
  });

  it('returns the defaults for text that is not JSON', () => {
    expect(parseStoredSettings('{history')).toEqual(DEFAULT_SETTINGS);
  });
});
