import type { SourceSpecification, StyleSpecification } from 'maplibre-gl';

import { type BasemapScale, loadBasemap } from './basemap';
import { BASEMAP_LAYERS, basemapSourceId } from './layers/basemap-layers';
import {
  CRITICAL_SOURCE,
  CRITICAL_SOURCE_ID,
  READINGS_SOURCE,
  READINGS_SOURCE_ID,
  READING_LAYERS,
} from './layers/reading-layers';

function basemapSources(scale: BasemapScale): Record<string, SourceSpecification> {
  const basemap = loadBasemap(scale);
  return {
    [basemapSourceId('countries', scale)]: {
      type: 'geojson',
      data: basemap.countries,
      attribution: 'Natural Earth',
    },
    [basemapSourceId('borders', scale)]: { type: 'geojson', data: basemap.borders },
    [basemapSourceId('coastlines', scale)]: { type: 'geojson', data: basemap.coastlines },
  };
}

/**
 * Builds the offline map style: every source is inline GeoJSON, and there
 * are no glyphs, sprites or tiles to fetch, so the style has no text layers.
 * The readings source and the critical source start empty and are later
 * filled through `setData` and `updateData`.
 */
export function buildMapStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'radstream offline',
    sources: {
      ...basemapSources('coarse'),
      ...basemapSources('detailed'),
      [READINGS_SOURCE_ID]: READINGS_SOURCE,
      [CRITICAL_SOURCE_ID]: CRITICAL_SOURCE,
    },
    layers: [...BASEMAP_LAYERS, ...READING_LAYERS],
  };
}
