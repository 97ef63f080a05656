import { describe, expect, it } from 'vitest';

import { makeLiveReading } from '../api/test-fixtures';
import {
  type ReadingFeature,
  findReadingBySeq,
  readingToFeature,
  readingsToFeatures,
  toFeatureCollection,
} from './features';
import type { LiveReading } from './reading-history';

describe('readingToFeature', () => {
  it('orders coordinates as [lon, lat]', () => {
    const feature = readingToFeature(makeLiveReading(1, { lat: 37.64, lon: 140.96 }));

    expect(feature.type).toBe('Feature');
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [140.96, 37.64] });
  });

  it('uses the seq as feature id', () => {
    expect(readingToFeature(makeLiveReading(42)).id).toBe(42);
  });

  it('keeps only level rank, critical and cpm as properties', () => {
    const feature = readingToFeature(makeLiveReading(1, { level: 'moderate', critical: false, cpm: 120 }));

    expect(feature.properties).toEqual({ rank: 1, critical: false, cpm: 120 });
  });

  it('ranks low, moderate and high as 0, 1 and 2', () => {
    const ranks = (['low', 'moderate', 'high'] as const).map(
      (level) => readingToFeature(makeLiveReading(1, { level })).properties.rank,
    );

    expect(ranks).toEqual([0, 1, 2]);
  });

  it('marks a reading critical by its flag or its status', () => {
    const byFlag = readingToFeature(makeLiveReading(1, { critical: true, status: 'processed' }));
    const byStatus = readingToFeature(makeLiveReading(2, { critical: false, status: 'critical' }));

    expect(byFlag.properties.critical).toBe(true);
    expect(byStatus.properties.critical).toBe(true);
  });
});

describe('readingsToFeatures', () => {
  it('keeps the order of the readings', () => {
    const readings = [makeLiveReading(1), makeLiveReading(2), makeLiveReading(3)];

    expect(readingsToFeatures(readings).map((feature) => feature.id)).toEqual([1, 2, 3]);
  });

  it('returns no features for no readings', () => {
    expect(toFeatureCollection(readingsToFeatures([]))).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('reuses cached features for readings seen before', () => {
    const cache = new WeakMap<LiveReading, ReadingFeature>();
    const first = makeLiveReading(1);
    const second = makeLiveReading(2);

    const before = readingsToFeatures([first], cache);
    const after = readingsToFeatures([first, second], cache);

    expect(after[0]).toBe(before[0]);
    expect(after[1]?.id).toBe(2);
  });
});

describe('findReadingBySeq', () => {
  const readings = [1, 2, 5, 8, 13, 21].map((seq) => makeLiveReading(seq));

  it.each([1, 5, 13, 21])('finds the reading with seq %d', (seq) => {
    expect(findReadingBySeq(readings, seq)?.seq).toBe(seq);
  });

  it.each([0, 3, 22])('returns undefined for the dropped seq %d', (seq) => {
    expect(findReadingBySeq(readings, seq)).toBeUndefined();
  });

  it('returns undefined for no readings', () => {
    expect(findReadingBySeq([], 1)).toBeUndefined();
  });
});
