import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';

import { unwrapFeatureCollection, unwrapLine, unwrapMultiLineString, unwrapRing } from './antimeridian';

function maxLonStep(points: readonly Position[]): number {
  let max = 0;
  for (let index = 1; index < points.length; index += 1) {
    const step = Math.abs((points[index]?.[0] ?? 0) - (points[index - 1]?.[0] ?? 0));
    max = Math.max(max, step);
  }
  return max;
}

describe('unwrapRing', () => {
  it('keeps a ring that stays within ±180°', () => {
    const ring = [
      [140, 37],
      [141, 37],
      [141, 38],
      [140, 37],
    ];

    expect(unwrapRing(ring)).toEqual(ring);
  });

  it('makes a ring crossing the antimeridian continuous', () => {
    const fiji = [
      [179, -16],
      [-179, -16],
      [-179, -17],
      [179, -17],
      [179, -16],
    ];

    expect(unwrapRing(fiji)).toEqual([
      [179, -16],
      [181, -16],
      [181, -17],
      [179, -17],
      [179, -16],
    ]);
  });

  it('moves a ring unwrapped far west back near ±180°', () => {
    const chukotka = [
      [-175, 66],
      [170, 66],
      [170, 70],
      [-175, 70],
      [-175, 66],
    ];

    const unwrapped = unwrapRing(chukotka);

    expect(unwrapped).toEqual([
      [185, 66],
      [170, 66],
      [170, 70],
      [185, 70],
      [185, 66],
    ]);
  });

  it('closes a ring around the South Pole along -90°', () => {
    const antarctica = [
      [-180, -84],
      [0, -70],
      [179, -84],
      [-180, -84],
    ];

    const unwrapped = unwrapRing(antarctica);

    expect(unwrapped).toEqual([
      [-180, -84],
      [0, -70],
      [179, -84],
      [180, -84],
      [180, -90],
      [-180, -90],
      [-180, -84],
    ]);
  });

  it('drops a ring that lies on the pole', () => {
    const poleLine = [
      [-180, -90],
      [178.6, -90],
      [0, -90],
      [-180, -90],
    ];

    expect(unwrapRing(poleLine)).toBeNull();
  });
});

describe('unwrapLine', () => {
  it('removes the jump of a coastline across the antimeridian', () => {
    const line = [
      [179.5, -16.5],
      [179.99, -16.52],
      [-180, -16.49],
      [-179.94, -16.44],
    ];

    const unwrapped = unwrapLine(line);

    expect(maxLonStep(unwrapped)).toBeLessThan(1);
    expect(unwrapped[2]).toEqual([180, -16.49]);
  });
});

describe('unwrapMultiLineString', () => {
  it('drops lines that lie on a pole', () => {
    const result = unwrapMultiLineString({
      type: 'MultiLineString',
      coordinates: [
        [
          [-180, -90],
          [180, -90],
        ],
        [
          [10, 50],
          [11, 51],
        ],
      ],
    });

    expect(result.coordinates).toEqual([
      [
        [10, 50],
        [11, 51],
      ],
    ]);
  });
});

describe('unwrapFeatureCollection', () => {
  it('keeps properties and unwraps multipolygon rings', () => {
    const result = unwrapFeatureCollection({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: '242',
          properties: { name: 'Fiji' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [179, -16],
                  [-179, -16],
                  [-179, -17],
                  [179, -16],
                ],
              ],
            ],
          },
        },
      ],
    });

    const fiji = result.features[0];
    expect(fiji?.id).toBe('242');
    expect(fiji?.properties).toEqual({ name: 'Fiji' });
    expect(fiji?.geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [179, -16],
            [181, -16],
            [181, -17],
            [179, -16],
          ],
        ],
      ],
    });
  });
});
