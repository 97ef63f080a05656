import { type Map as MaplibreMap, type MapLayerMouseEvent, Popup } from 'maplibre-gl';
import { useEffect } from 'react';

import { LEVELS } from '../api/messages';
import { formatCount, formatValue } from '../lib/format';
import { CLUSTER_LAYER, type ViewMode } from './layers/reading-layers';

const TOOLTIP_OFFSET_PX = 14;

/**
 * Describes a cluster from its aggregated properties, such as
 * `1,204 readings, highest level high, 2 critical, max 12,000 CPM`.
 * Returns null when the properties are not those of a cluster.
 */
export function describeCluster(properties: Record<string, unknown>): string | null {
  const count = properties.point_count;
  const maxRank = properties.max_rank;
  const criticalCount = properties.critical_count;
  const maxCpm = properties.max_cpm;
  if (typeof count !== 'number' || typeof maxRank !== 'number') {
    return null;
  }

  const parts = [`${formatCount(count)} readings`, `highest level ${LEVELS[maxRank] ?? 'unknown'}`];
  if (typeof criticalCount === 'number' && criticalCount > 0) {
    parts.push(`${formatCount(criticalCount)} critical`);
  }
  if (typeof maxCpm === 'number') {
    parts.push(`max ${formatValue(maxCpm)} CPM`);
  }
  return parts.join(', ');
}

/**
 * Shows the reading count and highest level of the cluster under the
 * pointer, because the style has no glyphs to print the count on the circle.
 * Only the clusters view has cluster circles; leaving it removes the tooltip,
 * which would otherwise stay because a hidden layer fires no mouseleave.
 */
export function useClusterTooltip(map: MaplibreMap | null, viewMode: ViewMode): void {
  useEffect(() => {
    if (map === null || viewMode !== 'clusters') {
      return;
    }
    const tooltip = new Popup({
      closeButton: false,
      closeOnClick: false,
      offset: TOOLTIP_OFFSET_PX,
      className: 'cluster-tooltip',
    });

    const handleMove = (event: MapLayerMouseEvent) => {
      const cluster = event.features?.[0];
      const text = cluster === undefined ? null : describeCluster(cluster.properties);
      if (text === null) {
        tooltip.remove();
        return;
      }
      tooltip.setLngLat(event.lngLat).setText(text).addTo(map);
    };
    const handleLeave = () => {
      tooltip.remove();
    };

    map.on('mousemove', CLUSTER_LAYER.id, handleMove);
    map.on('mouseleave', CLUSTER_LAYER.id, handleLeave);
    return () => {
      map.off('mousemove', CLUSTER_LAYER.id, handleMove);
      map.off('mouseleave', CLUSTER_LAYER.id, handleLeave);
      tooltip.remove();
    };
  }, [map, viewMode]);
}
