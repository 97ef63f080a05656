import { describe, expect, it } from 'vitest';

import { formatAge, formatCount, formatDose, formatUtcTime, formatValue } from './format';

describe('formatDose', () => {
  it.each([
    [0.2216, '0.222 µSv/h'],
    [12.345, '12.3 µSv/h'],
    [0, '0.00 µSv/h'],
    [1234.5, '1235 µSv/h'],
  ])('formats %d', (dose, expected) => {
    expect(formatDose(dose)).toBe(expected);
  });
});

describe('formatUtcTime', () => {
  it('shows a Z time in UTC', () => {
    expect(formatUtcTime('2012-03-29T07:10:34Z')).toBe('2012-03-29 07:10:34 UTC');
  });

  it('converts an offset time to UTC', () => {
    expect(formatUtcTime('2012-03-29T16:10:34+09:00')).toBe('2012-03-29 07:10:34 UTC');
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [3_600_000, '1 h ago'],
    [-500, '0 s ago'],
  ])('formats %d ms', (ageMs, expected) => {
    expect(formatAge(ageMs)).toBe(expected);
  });
});

describe('formatCount', () => {
  it('groups thousands with commas', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('formatValue', () => {
  it.each([
    [14262, '14,262'],
    [0.12345, '0.123'],
    [-3.5, '-3.5'],
  ])('formats %d', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});
