import type { Feature, FeatureCollection, Point } from 'geojson';

import type { Level } from '../api/messages';
import { isCritical } from './critical';
import type { LiveReading } from './reading-history';

/** Order of the levels, so clusters can take the maximum; the layers map it back to colors. */
export const LEVEL_RANKS: Readonly<Record<Level, number>> = { low: 0, moderate: 1, high: 2 };

/**
 * Properties of a reading feature: only what the layers style by. The
 * feature id is the reading's `seq`, which finds the full reading on click.
 * MapLibre copies every property to its worker, so with 100,000 readings
 * fewer properties make each update much cheaper.
 */
export interface ReadingProperties {
  /** `LEVEL_RANKS` of the reading's level. */
  rank: number;
  /** The result of `isCritical`, so the layers need no status rule of their own. */
  critical: boolean;
  /** Counts per minute, for the heatmap weight. */
  cpm: number;
}

export type ReadingFeature = Feature<Point, ReadingProperties> & { id: number };

export function readingToFeature(reading: LiveReading): ReadingFeature {
  return {
    type: 'Feature',
    id: reading.seq,
    // GeoJSON orders coordinates as [longitude, latitude].
    geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] },
    properties: { rank: LEVEL_RANKS[reading.level], critical: isCritical(reading), cpm: reading.cpm },
  };
}

/**
 * Converts readings to features, keeping the input order. Features found
 * in `cache` are reused, so each reading is converted once however often
 * the list is rebuilt.
 */
export function readingsToFeatures(
  readings: readonly LiveReading[],
  cache?: WeakMap<LiveReading, ReadingFeature>,
): ReadingFeature[] {
  return readings.map((reading) => {
    let feature = cache?.get(reading);
    if (feature === undefined) {
      feature = readingToFeature(reading);
      cache?.set(reading, feature);
    }
    return feature;
  });
}

export function toFeatureCollection(
  features: ReadingFeature[],
): FeatureCollection<Point, ReadingProperties> {
  return { type: 'FeatureCollection', features };
}

/**
 * Finds a reading by `seq` with a binary search, so `readings` must be in
 * arrival order. Returns undefined when the reading has been dropped.
 */
export function findReadingBySeq(readings: readonly LiveReading[], seq: number): LiveReading | undefined {
  let low = 0;
  let high = readings.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const reading = readings[middle];
    if (reading === undefined) {
      return undefined;
    }
    if (reading.seq === seq) {
      return reading;
    }
    if (reading.seq < seq) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return undefined;
}
