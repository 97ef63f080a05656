import { describe, expect, it } from 'vitest';

import { parseStats } from '../api/stats';
import { appendSample, sampleStats } from './stats-samples';

const BASE = { input: 1, processed: 1, critical: 0, dirty: 0, duplicates: 0 };

function stats(body: Record<string, unknown>) {
  const result = parseStats({ ...BASE, ...body });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('sampleStats', () => {
  it('takes the rate of every topic', () => {
    const sample = sampleStats(
      stats({ topics: { 'radiation-data': { records: 10, per_second: 4.5 }, 'dirty-data': { records: 1 } } }),
      5_000,
    );

    expect(sample).toEqual({ timeMs: 5_000, rates: { 'radiation-data': 4.5, 'dirty-data': null } });
  });

  it('returns null when the server reports no topics', () => {
    expect(sampleStats(stats({}), 5_000)).toBeNull();
  });
});

describe('appendSample', () => {
  it('drops samples older than the window', () => {
    const samples = [0, 30_000, 60_000].map((timeMs) => ({ timeMs, rates: {} }));

    const next = appendSample(samples, { timeMs: 100_000, rates: {} }, 60_000);

    expect(next.map((sample) => sample.timeMs)).toEqual([60_000, 100_000]);
  });
});
