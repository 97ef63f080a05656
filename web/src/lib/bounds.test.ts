import { describe, expect, it } from 'vitest';

import { computeBounds } from './bounds';

describe('computeBounds', () => {
  it('returns null for no readings', () => {
    expect(computeBounds([])).toBeNull();
  });

  it('returns a zero-size box for one reading', () => {
    expect(computeBounds([{ lat: 37.64, lon: 140.96 }])).toEqual([
      [140.96, 37.64],
      [140.96, 37.64],
    ]);
  });

  it('returns [[west, south], [east, north]]', () => {
    const readings = [
      { lat: 37.64, lon: 140.96 },
      { lat: 35.68, lon: 139.69 },
      { lat: 38.27, lon: 140.87 },
    ];

    expect(computeBounds(readings)).toEqual([
      [139.69, 35.68],
      [140.96, 38.27],
    ]);
  });
});
