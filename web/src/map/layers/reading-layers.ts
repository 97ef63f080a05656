import type {
  ExpressionSpecification,
  FilterSpecification,
  GeoJSONSourceSpecification,
  SetClusterOptions,
} from 'maplibre-gl';

import type { CircleLayer, HeatmapLayer } from './layer-types';
import {
  CLUSTER_COLOR_EXPRESSION,
  CRITICAL_HALO_COLOR,
  CRITICAL_OUTLINE_COLOR,
  LEVEL_COLOR_EXPRESSION,
  LEVEL_COLORS,
} from './level-colors';

export const READINGS_SOURCE_ID = 'readings';

/** Radius in pixels within which readings merge into a cluster. */
export const CLUSTER_RADIUS_PX = 50;

/** Highest zoom with clusters; from the next zoom on every reading is its own circle. */
export const CLUSTER_MAX_ZOOM = 11;

/** Circle radius in pixels at zoom 2, 8 and 14 for ordinary readings. */
export const READING_RADIUS_PX = [3, 5, 8] as const;

/** Circle radius in pixels at zoom 2, 8 and 14 for critical readings. */
export const CRITICAL_RADIUS_PX = [6, 9, 13] as const;

/** How far the critical halo reaches beyond the critical circle, in pixels. */
export const CRITICAL_HALO_EXTRA_PX = 7;

/**
 * Cluster radius in pixels by the square root of its reading count, so the
 * circle area grows with the count: 2 readings get about 9 px, 100 get
 * 18 px, 10,000 get 30 px and 100,000 get 38 px.
 */
export const CLUSTER_RADIUS_BY_SQRT_COUNT = [1, 8, 10, 18, 100, 30, 316, 38] as const;

export const READING_OPACITY = 0.85;
export const READING_OUTLINE_COLOR = '#ffffff';
export const READING_OUTLINE_WIDTH_PX = 0.6;
export const CLUSTER_OPACITY = 0.8;
export const CLUSTER_OUTLINE_WIDTH_PX = 1.5;
export const CRITICAL_CLUSTER_OUTLINE_WIDTH_PX = 3.5;
export const CRITICAL_OUTLINE_WIDTH_PX = 2.5;
export const CRITICAL_HALO_OPACITY = 0.6;
export const CRITICAL_HALO_BLUR = 0.4;

/**
 * Heatmap weight by CPM, as [cpm, weight] stops between which the weight
 * is interpolated: background readings weigh little and 1,000 CPM, the
 * default critical threshold, weighs the most.
 */
export const HEATMAP_WEIGHT_STOPS = [
  [0, 0],
  [50, 0.15],
  [200, 0.45],
  [1000, 1],
] as const;

/** Heatmap weight of one reading. */
export const HEATMAP_WEIGHT: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['get', 'cpm'],
  ...HEATMAP_WEIGHT_STOPS.flat(),
];

/**
 * Radius in pixels within which readings merge for the heatmap. The
 * heatmap draws each point of its source in every frame, and with software
 * WebGL 100,000 single readings keep a pan far below 30 frames per second.
 * A merged point weighs the sum of its readings' weights, and the radius
 * is below the kernel radius from zoom 1.5 on, so the picture barely
 * changes while far fewer points are drawn.
 */
export const HEATMAP_CLUSTER_RADIUS_PX = 8;

/** Highest zoom at which readings merge for the heatmap. */
export const HEATMAP_CLUSTER_MAX_ZOOM = 14;

/**
 * Cluster properties that MapLibre aggregates over the readings inside
 * each cluster: the highest level rank, the number of critical readings,
 * the highest CPM and the summed heatmap weight.
 */
export const CLUSTER_PROPERTIES: NonNullable<GeoJSONSourceSpecification['clusterProperties']> = {
  max_rank: ['max', ['get', 'rank']],
  critical_count: ['+', ['case', ['get', 'critical'], 1, 0]],
  max_cpm: ['max', ['get', 'cpm']],
  heat_weight: ['+', HEATMAP_WEIGHT],
};

/** Cluster options of the readings source in each view mode. */
export const CLUSTER_OPTIONS_BY_VIEW_MODE = {
  clusters: { cluster: true, clusterRadius: CLUSTER_RADIUS_PX, clusterMaxZoom: CLUSTER_MAX_ZOOM },
  heatmap: { cluster: true, clusterRadius: HEATMAP_CLUSTER_RADIUS_PX, clusterMaxZoom: HEATMAP_CLUSTER_MAX_ZOOM },
} as const satisfies Record<ViewMode, SetClusterOptions>;

/** Options of the readings source. `setClusterOptions` switches it between view modes. */
export const READINGS_SOURCE: GeoJSONSourceSpecification = {
  type: 'geojson',
  data: { type: 'FeatureCollection', features: [] },
  ...CLUSTER_OPTIONS_BY_VIEW_MODE.clusters,
  clusterProperties: CLUSTER_PROPERTIES,
};

export const CRITICAL_SOURCE_ID = 'critical-readings';

/**
 * The critical readings alone, never clustered, so that each one shows
 * over the heatmap, whose source merges nearby readings.
 */
export const CRITICAL_SOURCE: GeoJSONSourceSpecification = {
  type: 'geojson',
  data: { type: 'FeatureCollection', features: [] },
};

/** Heatmap kernel radius in pixels at zoom 0, 6 and 12. */
export const HEATMAP_RADIUS_PX = [6, 14, 28] as const;

/** Heatmap intensity at zoom 0 and 12; higher zooms spread fewer readings per pixel. */
export const HEATMAP_INTENSITY = [0.6, 2] as const;

export const HEATMAP_OPACITY = 0.8;

/** Heatmap color by density, from transparent through the level colors. */
export const HEATMAP_COLOR_STOPS = [
  [0, 'rgba(47, 158, 68, 0)'],
  [0.2, 'rgba(47, 158, 68, 0.55)'],
  [0.5, LEVEL_COLORS.moderate],
  [0.85, LEVEL_COLORS.high],
  [1, '#9c1010'],
] as const;

const IS_CLUSTER: FilterSpecification = ['has', 'point_count'];

/** Feature properties carry the result of `isCritical` as `critical`. */
const IS_CRITICAL_READING: FilterSpecification = [
  'all',
  ['!', ['has', 'point_count']],
  ['==', ['get', 'critical'], true],
];

const IS_ORDINARY_READING: FilterSpecification = [
  'all',
  ['!', ['has', 'point_count']],
  ['!=', ['get', 'critical'], true],
];

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
  ] satisfies ExpressionSpecification;
}

export const CLUSTER_LAYER: CircleLayer = {
  id: 'reading-clusters',
  type: 'circle',
  source: READINGS_SOURCE_ID,
  filter: IS_CLUSTER,
  layout: {
    'circle-sort-key': ['get', 'max_rank'],
  },
  paint: {
    'circle-color': CLUSTER_COLOR_EXPRESSION,
    'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], ...CLUSTER_RADIUS_BY_SQRT_COUNT],
    'circle-opacity': CLUSTER_OPACITY,
    'circle-stroke-color': [
      'case',
      ['>', ['get', 'critical_count'], 0],
      CRITICAL_OUTLINE_COLOR,
      READING_OUTLINE_COLOR,
    ],
    'circle-stroke-width': [
      'case',
      ['>', ['get', 'critical_count'], 0],
      CRITICAL_CLUSTER_OUTLINE_WIDTH_PX,
      CLUSTER_OUTLINE_WIDTH_PX,
    ],
  },
};

export const READING_CIRCLE_LAYER: CircleLayer = {
  id: 'reading-circles',
  type: 'circle',
  source: READINGS_SOURCE_ID,
  filter: IS_ORDINARY_READING,
  layout: {
    // Higher levels draw on top where circles overlap.
    'circle-sort-key': ['get', 'rank'],
  },
  paint: {
    'circle-color': LEVEL_COLOR_EXPRESSION,
    'circle-radius': radiusByZoom(READING_RADIUS_PX),
    'circle-opacity': READING_OPACITY,
    'circle-stroke-color': READING_OUTLINE_COLOR,
    'circle-stroke-width': READING_OUTLINE_WIDTH_PX,
  },
};

export const HEATMAP_LAYER: HeatmapLayer = {
  id: 'reading-heatmap',
  type: 'heatmap',
  source: READINGS_SOURCE_ID,
  layout: { visibility: 'none' },
  paint: {
    'heatmap-weight': ['case', ['has', 'point_count'], ['get', 'heat_weight'], HEATMAP_WEIGHT],
    'heatmap-radius': [
      'interpolate',
      ['linear'],
      ['zoom'],
      0,
      HEATMAP_RADIUS_PX[0],
      6,
      HEATMAP_RADIUS_PX[1],
      12,
      HEATMAP_RADIUS_PX[2],
    ],
    'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 0, HEATMAP_INTENSITY[0], 12, HEATMAP_INTENSITY[1]],
    'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], ...HEATMAP_COLOR_STOPS.flat()],
    'heatmap-opacity': HEATMAP_OPACITY,
  },
};

/**
 * Returns the halo and the circle of critical readings from `source`,
 * with ids made from `idPrefix`. The clusters view takes them from the
 * readings source, where a critical reading inside a cluster shows as the
 * cluster's outline, and the heatmap view from the critical source.
 */
function criticalLayers(source: string, idPrefix: string): [CircleLayer, CircleLayer] {
  return [
    {
      id: `${idPrefix}critical-halo`,
      type: 'circle',
      source,
      filter: IS_CRITICAL_READING,
      paint: {
        'circle-color': CRITICAL_HALO_COLOR,
        'circle-radius': radiusByZoom(CRITICAL_RADIUS_PX, CRITICAL_HALO_EXTRA_PX),
        'circle-opacity': CRITICAL_HALO_OPACITY,
        'circle-blur': CRITICAL_HALO_BLUR,
      },
    },
    {
      id: `${idPrefix}critical-circles`,
      type: 'circle',
      source,
      filter: IS_CRITICAL_READING,
      paint: {
        'circle-color': LEVEL_COLOR_EXPRESSION,
        'circle-radius': radiusByZoom(CRITICAL_RADIUS_PX),
        'circle-stroke-color': CRITICAL_OUTLINE_COLOR,
        'circle-stroke-width': CRITICAL_OUTLINE_WIDTH_PX,
      },
    },
  ];
}

export const [CRITICAL_HALO_LAYER, CRITICAL_CIRCLE_LAYER] = criticalLayers(READINGS_SOURCE_ID, '');
export const [HEATMAP_CRITICAL_HALO_LAYER, HEATMAP_CRITICAL_CIRCLE_LAYER] = criticalLayers(
  CRITICAL_SOURCE_ID,
  'heatmap-',
);

/** Reading layers, bottom to top, so critical readings stay visible. */
export const READING_LAYERS = [
  HEATMAP_LAYER,
  CLUSTER_LAYER,
  READING_CIRCLE_LAYER,
  CRITICAL_HALO_LAYER,
  CRITICAL_CIRCLE_LAYER,
  HEATMAP_CRITICAL_HALO_LAYER,
  HEATMAP_CRITICAL_CIRCLE_LAYER,
] as const;

/** Drawing mode of the readings: clustered circles or a heatmap. */
export type ViewMode = 'clusters' | 'heatmap';

/** Layers shown in each view mode; the critical readings show in both. */
export const LAYERS_BY_VIEW_MODE: Readonly<Record<ViewMode, readonly string[]>> = {
  clusters: [CLUSTER_LAYER.id, READING_CIRCLE_LAYER.id, CRITICAL_HALO_LAYER.id, CRITICAL_CIRCLE_LAYER.id],
  heatmap: [HEATMAP_LAYER.id, HEATMAP_CRITICAL_HALO_LAYER.id, HEATMAP_CRITICAL_CIRCLE_LAYER.id],
};

/** Layers whose features open a popup on click, topmost first. Hidden layers return no features. */
export const CLICKABLE_READING_LAYER_IDS = [
  HEATMAP_CRITICAL_CIRCLE_LAYER.id,
  CRITICAL_CIRCLE_LAYER.id,
  READING_CIRCLE_LAYER.id,
  CLUSTER_LAYER.id,
];
