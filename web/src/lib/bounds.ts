import type { Reading } from '../api/messages';

/** Bounding box as [[west, south], [east, north]] in degrees. */
export type LonLatBounds = [[number, number], [number, number]];

/**
 * Returns the smallest box that contains every reading, or null for no
 * readings.
 * NOTE: readings on both sides of the antimeridian get a box spanning the
 * whole world instead of the short way across 180°.
 */
export function computeBounds(readings: readonly Pick<Reading, 'lat' | 'lon'>[]): LonLatBounds | null {
  if (readings.length === 0) {
    return null;
  }

  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const { lat, lon } of readings) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [
    [west, south],
    [east, north],
  ];
}
