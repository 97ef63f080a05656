import type { FeatureCollection, MultiLineString } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';
import countries110m from 'world-atlas/countries-110m.json';
import countries50m from 'world-atlas/countries-50m.json';

import { unwrapFeatureCollection, unwrapMultiLineString } from '../lib/antimeridian';

/**
 * Natural Earth scale of a basemap: `coarse` is 1:110m for low zooms and
 * `detailed` is 1:50m for zooming into a region.
 */
export type BasemapScale = 'coarse' | 'detailed';

/** Basemap geometry in GeoJSON. */
export interface Basemap {
  countries: FeatureCollection;
  /** Land borders between two countries. */
  borders: MultiLineString;
  /** Country edges that touch no other country, which are the coastlines. */
  coastlines: MultiLineString;
}

type CountriesTopology = Topology<{ countries: GeometryCollection }>;

const TOPOLOGIES: Record<BasemapScale, CountriesTopology> = {
  coarse: countries110m,
  detailed: countries50m,
};

const cache = new Map<BasemapScale, Basemap>();

function convertTopology(topology: CountriesTopology): Basemap {
  const countries = topology.objects.countries;
  return {
    countries: unwrapFeatureCollection(feature(topology, countries)),
    borders: unwrapMultiLineString(mesh(topology, countries, (a, b) => a !== b)),
    coastlines: unwrapMultiLineString(mesh(topology, countries, (a, b) => a === b)),
  };
}

/**
 * Converts the bundled TopoJSON of one scale to GeoJSON that a flat map can
 * draw. The result is cached because converting 1:50m takes tens of
 * milliseconds.
 */
export function loadBasemap(scale: BasemapScale): Basemap {
  let basemap = cache.get(scale);
  if (basemap === undefined) {
    basemap = convertTopology(TOPOLOGIES[scale]);
    cache.set(scale, basemap);
  }
  return basemap;
}
