import type { Level, Reading } from '../api/messages';
import { isCritical } from './critical';

/** Readings per level, plus how many of them are critical. */
export type ReadingCounts = Record<Level, number> & { critical: number };

export function countLevels(readings: readonly Reading[]): ReadingCounts {
  const counts: ReadingCounts = { low: 0, moderate: 0, high: 0, critical: 0 };
  for (const reading of readings) {
    counts[reading.level] += 1;
    if (isCritical(reading)) {
      counts.critical += 1;
    }
  }
  return counts;
}
