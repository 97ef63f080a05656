import { describe, expect, it } from 'vitest';

import { makeLiveReading } from '../api/test-fixtures';
import { countLevels } from './level-counts';
import { SHOW_ALL_LEVELS, filterByLevel } from './level-filter';

const readings = [
  makeLiveReading(1, { level: 'low' }),
  makeLiveReading(2, { level: 'moderate' }),
  makeLiveReading(3, { level: 'high', critical: true, status: 'critical' }),
  makeLiveReading(4, { level: 'low' }),
];

describe('filterByLevel', () => {
  it('returns the same array when every level is shown', () => {
    expect(filterByLevel(readings, SHOW_ALL_LEVELS)).toBe(readings);
  });

  it('leaves out unchecked levels and keeps the order', () => {
    const shown = filterByLevel(readings, { low: true, moderate: false, high: true });

    expect(shown.map((reading) => reading.seq)).toEqual([1, 3, 4]);
  });

  it('shows nothing when no level is checked', () => {
    expect(filterByLevel(readings, { low: false, moderate: false, high: false })).toEqual([]);
  });

  it('changes the counts of the shown readings', () => {
    const counts = countLevels(filterByLevel(readings, { low: false, moderate: true, high: true }));

    expect(counts).toEqual({ low: 0, moderate: 1, high: 1, critical: 1 });
  });
});
