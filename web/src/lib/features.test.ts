import { describe, expect, it } from 'vitest';

import type { Reading } from '../api/messages';
import { makeReading } from '../api/test-fixtures';
import {
  type ReadingFeature,
  findReadingByKey,
  readingToFeature,
  readingsToFeatureCollection,
} from './features';

describe('readingToFeature', () => {
  it('orders coordinates as [lon, lat]', () => {
    const feature = readingToFeature(makeReading({ lat: 37.64, lon: 140.96 }));

    expect(feature.type).toBe('Feature');
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [140.96, 37.64] });
  });

  it('keeps key, level and critical as properties', () => {
    const feature = readingToFeature(makeReading({ key: 'k1', level: 'moderate', critical: false }));

    expect(feature.properties).toEqual({ key: 'k1', level: 'moderate', critical: false });
  });

  it('marks a reading critical by its flag or its status', () => {
    const byFlag = readingToFeature(makeReading({ critical: true, status: 'processed' }));
    const byStatus = readingToFeature(makeReading({ critical: false, status: 'critical' }));

    expect(byFlag.properties.critical).toBe(true);
    expect(byStatus.properties.critical).toBe(true);
  });
});

describe('readingsToFeatureCollection', () => {
  it('keeps the order of the readings', () => {
    const readings = [makeReading({ key: 'a' }), makeReading({ key: 'b' }), makeReading({ key: 'c' })];

    const collection = readingsToFeatureCollection(readings);

    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((feature) => feature.properties.key)).toEqual(['a', 'b', 'c']);
  });

  it('returns an empty collection for no readings', () => {
    expect(readingsToFeatureCollection([])).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('reuses cached features for readings seen before', () => {
    const cache = new WeakMap<Reading, ReadingFeature>();
    const first = makeReading({ key: 'a' });
    const second = makeReading({ key: 'b' });

    const before = readingsToFeatureCollection([first], cache);
    const after = readingsToFeatureCollection([first, second], cache);

    expect(after.features[0]).toBe(before.features[0]);
    expect(after.features[1]?.properties.key).toBe('b');
  });
});

describe('findReadingByKey', () => {
  it('returns the newest reading with the key', () => {
    const older = makeReading({ key: 'k', value: 1 });
    const newer = makeReading({ key: 'k', value: 2 });

    expect(findReadingByKey([older, makeReading({ key: 'x' }), newer], 'k')).toBe(newer);
  });

  it('returns undefined for a dropped key', () => {
    expect(findReadingByKey([makeReading({ key: 'x' })], 'k')).toBeUndefined();
  });
});
