import type { FilterSpecification } from 'maplibre-gl';

import type { CircleLayer } from './layer-types';
import { CRITICAL_HALO_COLOR, CRITICAL_OUTLINE_COLOR, LEVEL_COLOR_EXPRESSION } from './level-colors';

export const READINGS_SOURCE_ID = 'readings';

/** Circle radius in pixels at zoom 2, 8 and 14 for ordinary readings. */
export const READING_RADIUS_PX = [3, 5, 8] as const;

/** Circle radius in pixels at zoom 2, 8 and 14 for critical readings. */
export const CRITICAL_RADIUS_PX = [6, 9, 13] as const;

/** How far the critical halo reaches beyond the critical circle, in pixels. */
export const CRITICAL_HALO_EXTRA_PX = 7;

export const READING_OPACITY = 0.85;
export const READING_OUTLINE_COLOR = '#ffffff';
export const READING_OUTLINE_WIDTH_PX = 0.6;
export const CRITICAL_OUTLINE_WIDTH_PX = 2.5;
export const CRITICAL_HALO_OPACITY = 0.6;
export const CRITICAL_HALO_BLUR = 0.4;

/** Feature properties carry the result of `isCritical` as `critical`. */
const CRITICAL_FILTER: FilterSpecification = ['==', ['get', 'critical'], true];

function radiusByZoom(radii: readonly [number, number, number], extraPx = 0) {
  return [
    'interpolate',
    ['linear'],
    ['zoom'],
    2,
    radii[0] + extraPx,
    8,
    radii[1] + extraPx,
    14,
    radii[2] + extraPx,
  ] satisfies NonNullable<NonNullable<CircleLayer['paint']>['circle-radius']>;
}

export const READING_CIRCLE_LAYER: CircleLayer = {
  id: 'reading-circles',
  type: 'circle',
  source: READINGS_SOURCE_ID,
  filter: ['!', CRITICAL_FILTER],
  layout: {
    // Higher levels draw on top where circles overlap.
    'circle-sort-key': ['match', ['get', 'level'], 'high', 2, 'moderate', 1, 0],
  },
  paint: {
    'circle-color': LEVEL_COLOR_EXPRESSION,
    'circle-radius': radiusByZoom(READING_RADIUS_PX),
    'circle-opacity': READING_OPACITY,
    'circle-stroke-color': READING_OUTLINE_COLOR,
    'circle-stroke-width': READING_OUTLINE_WIDTH_PX,
  },
};

export const CRITICAL_HALO_LAYER: CircleLayer = {
  id: 'critical-halo',
  type: 'circle',
  source: READINGS_SOURCE_ID,
  filter: CRITICAL_FILTER,
  paint: {
    'circle-color': CRITICAL_HALO_COLOR,
    'circle-radius': radiusByZoom(CRITICAL_RADIUS_PX, CRITICAL_HALO_EXTRA_PX),
    'circle-opacity': CRITICAL_HALO_OPACITY,
    'circle-blur': CRITICAL_HALO_BLUR,
  },
};

export const CRITICAL_CIRCLE_LAYER: CircleLayer = {
  id: 'critical-circles',
  type: 'circle',
  source: READINGS_SOURCE_ID,
  filter: CRITICAL_FILTER,
  paint: {
    'circle-color': LEVEL_COLOR_EXPRESSION,
    'circle-radius': radiusByZoom(CRITICAL_RADIUS_PX),
    'circle-stroke-color': CRITICAL_OUTLINE_COLOR,
    'circle-stroke-width': CRITICAL_OUTLINE_WIDTH_PX,
  },
};

/** Reading layers, bottom to top, so critical readings stay visible. */
export const READING_LAYERS = [READING_CIRCLE_LAYER, CRITICAL_HALO_LAYER, CRITICAL_CIRCLE_LAYER] as const;

/** Layers that open a popup on click, topmost first. */
export const CLICKABLE_READING_LAYER_IDS = [CRITICAL_CIRCLE_LAYER.id, READING_CIRCLE_LAYER.id];
