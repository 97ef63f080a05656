import type { Feature, FeatureCollection, Geometry, MultiLineString, Position } from 'geojson';

// world-atlas is made for spherical renderers such as d3-geo, so an edge
// that crosses the antimeridian jumps from +180° to -180°, and Antarctica
// closes its ring around the South Pole. A flat renderer such as MapLibre
// draws each jump as a line or fill band across the whole world. These
// helpers make the coordinates continuous instead: longitudes may go past
// ±180°, which MapLibre draws in the neighbouring world copy.

/** A longitude step larger than this is taken as a jump across the antimeridian. */
const MAX_CONTINUOUS_STEP_DEG = 180;

const POLE_TOLERANCE_DEG = 1e-6;

function isOnPole(point: Position): boolean {
  return Math.abs(Math.abs(point[1] ?? 0) - 90) < POLE_TOLERANCE_DEG;
}

/**
 * Adds ±360° where consecutive points jump across the antimeridian. Returns
 * the shifted points and the total shift applied to the last point.
 */
function unwrapLongitudes(points: readonly Position[]): { points: Position[]; shiftDeg: number } {
  const unwrapped: Position[] = [];
  let shiftDeg = 0;
  let previousLon: number | null = null;

  for (const [lon = 0, lat = 0] of points) {
    if (previousLon !== null) {
      const step = lon - previousLon;
      if (step > MAX_CONTINUOUS_STEP_DEG) {
        shiftDeg -= 360;
      } else if (step < -MAX_CONTINUOUS_STEP_DEG) {
        shiftDeg += 360;
      }
    }
    unwrapped.push([lon + shiftDeg, lat]);
    previousLon = lon;
  }
  return { points: unwrapped, shiftDeg };
}

/** Shifts points by a multiple of 360° when the centre of their longitude range is outside ±180°. */
function recentre(points: Position[]): Position[] {
  let west = Infinity;
  let east = -Infinity;
  for (const [lon = 0] of points) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
  }

  const centre = (west + east) / 2;
  let shiftDeg = 0;
  if (centre > 180) {
    shiftDeg = -360 * Math.ceil((centre - 180) / 360);
  } else if (centre < -180) {
    shiftDeg = 360 * Math.ceil((-180 - centre) / 360);
  }
  if (shiftDeg === 0) {
    return points;
  }
  return points.map(([lon = 0, lat = 0]) => [lon + shiftDeg, lat]);
}

/** Makes a line continuous across the antimeridian. */
export function unwrapLine(line: readonly Position[]): Position[] {
  return recentre(unwrapLongitudes(line).points);
}

/**
 * Makes a closed ring continuous across the antimeridian. A ring that
 * crosses it an odd number of times encloses a pole, so it is closed along
 * that pole's latitude. Returns null for a ring lying on a pole, which has
 * no area on a flat map.
 */
export function unwrapRing(ring: readonly Position[]): Position[] | null {
  if (ring.every(isOnPole)) {
    return null;
  }

  const { points, shiftDeg } = unwrapLongitudes(ring);
  const first = points[0];
  const last = points[points.length - 1];
  if (shiftDeg !== 0 && first !== undefined && last !== undefined) {
    const meanLat = points.reduce((sum, [, lat = 0]) => sum + lat, 0) / points.length;
    const poleLat = meanLat < 0 ? -90 : 90;
    points.push([last[0] ?? 0, poleLat], [first[0] ?? 0, poleLat], [...first]);
  }
  return recentre(points);
}

/** Unwraps every ring of a polygon and drops the rings that lie on a pole. */
export function unwrapPolygon(rings: readonly Position[][]): Position[][] {
  return rings.map(unwrapRing).filter((ring): ring is Position[] => ring !== null);
}

function unwrapGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: unwrapPolygon(geometry.coordinates) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: geometry.coordinates
          .map(unwrapPolygon)
          .filter((polygon) => polygon.length > 0),
      };
    case 'LineString':
      return { type: 'LineString', coordinates: unwrapLine(geometry.coordinates) };
    case 'MultiLineString':
      return unwrapMultiLineString(geometry);
    default:
      return geometry;
  }
}

/** Unwraps every line and drops those lying on a pole. */
export function unwrapMultiLineString(geometry: MultiLineString): MultiLineString {
  return {
    type: 'MultiLineString',
    coordinates: geometry.coordinates
      .filter((line) => !line.every(isOnPole))
      .map(unwrapLine),
  };
}

/** Unwraps the geometry of every feature. */
export function unwrapFeatureCollection(collection: FeatureCollection): FeatureCollection {
  const features = collection.features.map(
    (feature): Feature => ({
      ...feature,
      geometry: feature.geometry === null ? feature.geometry : unwrapGeometry(feature.geometry),
    }),
  );
  return { ...collection, features };
}
