import type { LayerSpecification } from 'maplibre-gl';

// maplibre-gl re-exports LayerSpecification but not the per-type specs of
// @maplibre/maplibre-gl-style-spec, so they are narrowed from the union here.
export type BackgroundLayer = Extract<LayerSpecification, { type: 'background' }>;
export type FillLayer = Extract<LayerSpecification, { type: 'fill' }>;
export type LineLayer = Extract<LayerSpecification, { type: 'line' }>;
export type CircleLayer = Extract<LayerSpecification, { type: 'circle' }>;

/** Value of a data-driven circle color, such as a `match` expression. */
export type CircleColor = NonNullable<NonNullable<CircleLayer['paint']>['circle-color']>;
export type HeatmapLayer = Extract<LayerSpecification, { type: 'heatmap' }>;
