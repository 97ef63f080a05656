import {
  type ExpressionSpecification,
  type StylePropertySpecification,
  createExpression,
  latest,
  validateStyleMin,
} from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';

import { buildMapStyle } from '../map-style';
import {
  CLUSTER_PROPERTIES,
  CRITICAL_SOURCE,
  HEATMAP_CRITICAL_CIRCLE_LAYER,
  HEATMAP_CRITICAL_HALO_LAYER,
  HEATMAP_LAYER,
  HEATMAP_WEIGHT,
  LAYERS_BY_VIEW_MODE,
  READING_LAYERS,
} from './reading-layers';

type Properties = Record<string, unknown>;

/** Evaluates a data expression of `property` (a paint property spec) on a feature with `properties`. */
function evaluate(expression: unknown, properties: Properties, property: StylePropertySpecification): unknown {
  const parsed = createExpression(expression, property);
  if (parsed.result === 'error') {
    throw new Error(`invalid expression: ${parsed.value.map((error) => error.message).join('; ')}`);
  }
  return parsed.value.evaluate({ zoom: 8 }, { type: 'Point', properties });
}

const HEATMAP_WEIGHT_SPEC = latest.paint_heatmap['heatmap-weight'] as StylePropertySpecification;

/** Returns the map part of the `[reduce, map]` cluster property `name`. */
function clusterMapExpression(name: string): ExpressionSpecification {
  const property: unknown = (CLUSTER_PROPERTIES as Record<string, unknown>)[name];
  if (!Array.isArray(property) || property[1] === undefined) {
    throw new Error(`cluster property "${name}" is missing`);
  }
  return property[1] as ExpressionSpecification;
}

describe('HEATMAP_WEIGHT', () => {
  it('interpolates linearly between the CPM stops', () => {
    // 125 CPM lies halfway between 50 (0.15) and 200 (0.45); 600 halfway
    // between 200 (0.45) and 1,000 (1).
    expect(evaluate(HEATMAP_WEIGHT, { cpm: 0 }, HEATMAP_WEIGHT_SPEC)).toBe(0);
    expect(evaluate(HEATMAP_WEIGHT, { cpm: 125 }, HEATMAP_WEIGHT_SPEC)).toBeCloseTo(0.3, 10);
    expect(evaluate(HEATMAP_WEIGHT, { cpm: 600 }, HEATMAP_WEIGHT_SPEC)).toBeCloseTo(0.725, 10);
    expect(evaluate(HEATMAP_WEIGHT, { cpm: 50_000 }, HEATMAP_WEIGHT_SPEC)).toBe(1);
  });
});

describe('HEATMAP_LAYER', () => {
  const weight = HEATMAP_LAYER.paint?.['heatmap-weight'];

  it('weighs a single reading by its CPM', () => {
    expect(evaluate(weight, { cpm: 125, rank: 1 }, HEATMAP_WEIGHT_SPEC)).toBeCloseTo(0.3, 10);
  });

  it('weighs merged readings by the sum of their weights', () => {
    // The cluster's heat_weight is the sum MapLibre reduces from the
    // readings' mapped values: 0.3 for 125 CPM plus 0.725 for 600 CPM.
    const mapped = [125, 600].map((cpm) => evaluate(clusterMapExpression('heat_weight'), { cpm }, HEATMAP_WEIGHT_SPEC));
    const cluster = { point_count: 2, heat_weight: (mapped[0] as number) + (mapped[1] as number), max_cpm: 600 };

    expect(evaluate(weight, cluster, HEATMAP_WEIGHT_SPEC)).toBeCloseTo(1.025, 10);
  });
});

describe('reading layers', () => {
  it('form a style that passes the style specification validator', () => {
    expect(validateStyleMin(buildMapStyle())).toEqual([]);
  });

  it('show critical readings over the heatmap from the unclustered critical source', () => {
    const heatmapLayers = READING_LAYERS.filter((layer) => LAYERS_BY_VIEW_MODE.heatmap.includes(layer.id));

    expect(heatmapLayers.map((layer) => layer.id)).toEqual([
      HEATMAP_LAYER.id,
      HEATMAP_CRITICAL_HALO_LAYER.id,
      HEATMAP_CRITICAL_CIRCLE_LAYER.id,
    ]);
    expect(HEATMAP_CRITICAL_CIRCLE_LAYER.source).toBe(HEATMAP_CRITICAL_HALO_LAYER.source);
    expect(buildMapStyle().sources[HEATMAP_CRITICAL_CIRCLE_LAYER.source]).toBe(CRITICAL_SOURCE);
    expect(CRITICAL_SOURCE).not.toHaveProperty('cluster');
  });

  it('give each view mode only layers of the style', () => {
    const ids = new Set(READING_LAYERS.map((layer) => layer.id));

    for (const layerIds of Object.values(LAYERS_BY_VIEW_MODE)) {
      expect(layerIds.filter((id) => !ids.has(id))).toEqual([]);
    }
  });
});
