import type { BasemapScale } from '../basemap';
import type { BackgroundLayer, FillLayer, LineLayer } from './layer-types';

/**
 * Zoom from which the 1:50m basemap replaces the 1:110m one. Below it,
 * 1:50m only adds detail too small to see, and MapLibre triangulates its
 * Antarctica badly: thin land-colored slivers appear over the sea at zoom 1.
 */
export const DETAILED_BASEMAP_MIN_ZOOM = 3;

export const OCEAN_COLOR = '#b9d3e6';
export const LAND_COLOR = '#f4f1ea';
export const COASTLINE_COLOR = '#7d9db5';
export const BORDER_COLOR = '#a39d92';

export const COASTLINE_WIDTH_PX = 0.8;
export const BORDER_WIDTH_PX = 0.7;
export const BORDER_DASH = [3, 2];

export type BasemapSourceKind = 'countries' | 'borders' | 'coastlines';

export function basemapSourceId(kind: BasemapSourceKind, scale: BasemapScale): string {
  return `${kind}-${scale}`;
}

/** Shows a scale's layers only in its zoom range. */
function zoomRange(scale: BasemapScale): { minzoom?: number; maxzoom?: number } {
  return scale === 'coarse'
    ? { maxzoom: DETAILED_BASEMAP_MIN_ZOOM }
    : { minzoom: DETAILED_BASEMAP_MIN_ZOOM };
}

export const BACKGROUND_LAYER: BackgroundLayer = {
  id: 'ocean',
  type: 'background',
  paint: { 'background-color': OCEAN_COLOR },
};

export function countryFillLayer(scale: BasemapScale): FillLayer {
  return {
    id: `country-fill-${scale}`,
    type: 'fill',
    source: basemapSourceId('countries', scale),
    ...zoomRange(scale),
    paint: { 'fill-color': LAND_COLOR },
  };
}

export function coastlineLayer(scale: BasemapScale): LineLayer {
  return {
    id: `coastline-${scale}`,
    type: 'line',
    source: basemapSourceId('coastlines', scale),
    ...zoomRange(scale),
    layout: { 'line-join': 'round' },
    paint: { 'line-color': COASTLINE_COLOR, 'line-width': COASTLINE_WIDTH_PX },
  };
}

export function countryBorderLayer(scale: BasemapScale): LineLayer {
  return {
    id: `country-border-${scale}`,
    type: 'line',
    source: basemapSourceId('borders', scale),
    ...zoomRange(scale),
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': BORDER_COLOR,
      'line-width': BORDER_WIDTH_PX,
      'line-dasharray': BORDER_DASH,
    },
  };
}

const SCALES: readonly BasemapScale[] = ['coarse', 'detailed'];

/** Basemap layers of both scales, bottom to top. */
export const BASEMAP_LAYERS = [
  BACKGROUND_LAYER,
  ...SCALES.map(countryFillLayer),
  ...SCALES.map(coastlineLayer),
  ...SCALES.map(countryBorderLayer),
];
