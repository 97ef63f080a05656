import { describe, expect, it } from 'vitest';

import { makeLiveReading } from '../api/test-fixtures';
import { diffFeatures } from './feature-diff';
import { readingToFeature } from './features';

function features(...seqs: number[]) {
  return seqs.map((seq) => readingToFeature(makeLiveReading(seq)));
}

describe('diffFeatures', () => {
  it('adds new features at the end and removes old ones at the start', () => {
    const diff = diffFeatures(features(1, 2, 3), features(2, 3, 4, 5));

    expect(diff.remove).toEqual([1]);
    expect(diff.add.map((feature) => feature.id)).toEqual([4, 5]);
  });

  it('removes features filtered out in the middle', () => {
    const diff = diffFeatures(features(1, 2, 3, 4), features(1, 4));

    expect(diff.remove).toEqual([2, 3]);
    expect(diff.add).toEqual([]);
  });

  it('adds everything to an empty list', () => {
    const diff = diffFeatures([], features(7, 9));

    expect(diff.add.map((feature) => feature.id)).toEqual([7, 9]);
    expect(diff.remove).toEqual([]);
  });

  it('returns no changes for the same ids', () => {
    expect(diffFeatures(features(1, 2), features(1, 2))).toEqual({ add: [], remove: [] });
  });
});
