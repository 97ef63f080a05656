import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';

import { loadBasemap } from './basemap';

/** Counts steps of more than 180° in longitude, leaving out steps along a pole. */
function countJumps(points: readonly Position[]): number {
  let jumps = 0;
  for (let index = 1; index < points.length; index += 1) {
    const [lon = 0, lat = 0] = points[index] ?? [];
    const [previousLon = 0, previousLat = 0] = points[index - 1] ?? [];
    const alongPole = Math.abs(lat) === 90 && Math.abs(previousLat) === 90;
    if (!alongPole && Math.abs(lon - previousLon) > 180) {
      jumps += 1;
    }
  }
  return jumps;
}

describe.each(['coarse', 'detailed'] as const)('loadBasemap(%s)', (scale) => {
  const basemap = loadBasemap(scale);

  it('contains the Natural Earth countries', () => {
    const names = basemap.countries.features.map((feature) => feature.properties?.name);

    expect(basemap.countries.features.length).toBeGreaterThan(170);
    expect(names).toContain('Japan');
    expect(names).toContain('Russia');
    expect(names).toContain('Antarctica');
  });

  it('has no country ring that jumps across the antimeridian', () => {
    const jumps: string[] = [];
    for (const feature of basemap.countries.features) {
      const geometry = feature.geometry;
      const polygons =
        geometry.type === 'Polygon'
          ? [geometry.coordinates]
          : geometry.type === 'MultiPolygon'
            ? geometry.coordinates
            : [];
      for (const ring of polygons.flat()) {
        if (countJumps(ring) > 0) {
          jumps.push(String(feature.properties?.name));
        }
      }
    }

    expect(jumps).toEqual([]);
  });

  it('has no border or coastline that jumps across the antimeridian', () => {
    const lines = [...basemap.borders.coordinates, ...basemap.coastlines.coordinates];

    expect(lines.filter((line) => countJumps(line) > 0)).toEqual([]);
  });
});
