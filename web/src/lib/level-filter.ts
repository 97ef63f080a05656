import { LEVELS, type Level, type Reading } from '../api/messages';

/** Levels shown on the map: true shows the level. */
export type LevelFilter = Readonly<Record<Level, boolean>>;

export const SHOW_ALL_LEVELS: LevelFilter = { low: true, moderate: true, high: true };

/** Keeps the readings whose level the filter shows; returns the input when it shows every level. */
export function filterByLevel<T extends Reading>(readings: readonly T[], filter: LevelFilter): readonly T[] {
  if (LEVELS.every((level) => filter[level])) {
    return readings;
  }
  return readings.filter((reading) => filter[reading.level]);
}
