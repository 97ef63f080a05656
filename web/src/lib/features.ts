import type { Feature, FeatureCollection, Point } from 'geojson';

import type { Reading } from '../api/messages';
import { isCritical } from './critical';

/**
 * Properties of a reading feature: only what the layers style by and the
 * key to find the full reading on click. MapLibre copies every property to
 * its worker on each update, so with 50,000 readings fewer properties make
 * each update much cheaper.
 */
export interface ReadingProperties {
  key: string;
  level: Reading['level'];
  /** The result of `isCritical`, so the layers need no status rule of their own. */
  critical: boolean;
}

export type ReadingFeature = Feature<Point, ReadingProperties>;

export function readingToFeature(reading: Reading): ReadingFeature {
  return {
    type: 'Feature',
    // GeoJSON orders coordinates as [longitude, latitude].
    geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] },
    properties: { key: reading.key, level: reading.level, critical: isCritical(reading) },
  };
}

/**
 * Builds the GeoJSON for the readings source, keeping the input order.
 * Features found in `cache` are reused, so each reading is converted once
 * however often the collection is rebuilt.
 */
export function readingsToFeatureCollection(
  readings: readonly Reading[],
  cache?: WeakMap<Reading, ReadingFeature>,
): FeatureCollection<Point, ReadingProperties> {
  const features = readings.map((reading) => {
    let feature = cache?.get(reading);
    if (feature === undefined) {
      feature = readingToFeature(reading);
      cache?.set(reading, feature);
    }
    return feature;
  });
  return { type: 'FeatureCollection', features };
}

/**
 * Finds the reading a clicked feature stands for. When two kept readings
 * share a key, the newest one is returned.
 */
export function findReadingByKey(readings: readonly Reading[], key: string): Reading | undefined {
  for (let index = readings.length - 1; index >= 0; index -= 1) {
    const reading = readings[index];
    if (reading?.key === key) {
      return reading;
    }
  }
  return undefined;
}
