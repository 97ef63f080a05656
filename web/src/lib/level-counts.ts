import type { Level, Reading } from '../api/messages';
import { isCritical } from './critical';

/** Readings per level, plus how many of them are critical. */
export type ReadingCounts = Record<Level, number> & { critical: number };

export function countLevels(readings: readonly Reading[]): ReadingCounts {
  // Local counters and a switch keep this loop fast for 100,000 readings.
  let low = 0;
  let moderate = 0;
  let high = 0;
  let critical = 0;
  for (const reading of readings) {
    switch (reading.level) {
      case 'low':
        low += 1;
        break;
      case 'moderate':
        moderate += 1;
        break;
      case 'high':
        high += 1;
        break;
    }
    if (isCritical(reading)) {
      critical += 1;
    }
  }
  return { low, moderate, high, critical };
}
