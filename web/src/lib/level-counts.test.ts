import { describe, expect, it } from 'vitest';

import { makeReading } from '../api/test-fixtures';
import { countLevels } from './level-counts';

describe('countLevels', () => {
  it('counts readings per level and critical ones separately', () => {
    const readings = [
      makeReading({ level: 'low' }),
      makeReading({ level: 'low' }),
      makeReading({ level: 'moderate' }),
      makeReading({ level: 'high', critical: true, status: 'critical' }),
      makeReading({ level: 'high' }),
    ];

    expect(countLevels(readings)).toEqual({ low: 2, moderate: 1, high: 2, critical: 1 });
  });

  it('counts a reading as critical when only its status says so', () => {
    const readings = [makeReading({ level: 'high', critical: false, status: 'critical' })];

    expect(countLevels(readings).critical).toBe(1);
  });

  it('returns zeros for no readings', () => {
    expect(countLevels([])).toEqual({ low: 0, moderate: 0, high: 0, critical: 0 });
  });
});
