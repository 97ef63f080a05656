import { describe, expect, it } from 'vitest';

import { describeCluster } from './use-cluster-tooltip';

describe('describeCluster', () => {
  it('gives count, highest level, critical count and max CPM', () => {
    const text = describeCluster({ point_count: 1204, max_rank: 2, critical_count: 2, max_cpm: 12000 });

    expect(text).toBe('1,204 readings, highest level high, 2 critical, max 12,000 CPM');
  });

  it('leaves out the critical count when it is 0', () => {
    const text = describeCluster({ point_count: 3, max_rank: 0, critical_count: 0, max_cpm: 40 });

    expect(text).toBe('3 readings, highest level low, max 40 CPM');
  });

  it('returns null for a single reading', () => {
    expect(describeCluster({ rank: 1, critical: false, cpm: 60 })).toBeNull();
  });
});
