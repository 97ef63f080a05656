import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';

import { diffFeatures } from '../lib/feature-diff';
import { type ReadingFeature, readingsToFeatures, toFeatureCollection } from '../lib/features';
import type { LiveReading } from '../lib/reading-history';
import {
  CLUSTER_MAX_ZOOM,
  CLUSTER_RADIUS_PX,
  LAYERS_BY_VIEW_MODE,
  READINGS_SOURCE_ID,
  READING_LAYERS,
  type ViewMode,
} from './layers/reading-layers';

/**
 * From this many features on, the source is updated at most every
 * `LARGE_SOURCE_UPDATE_INTERVAL_MS`. Each update makes MapLibre's worker
 * cluster every feature again, which takes a few hundred milliseconds for
 * 100,000 readings on a 2-core machine, so updating every frame would keep
 * a core busy and cost the map frames while the user pans.
 */
export const LARGE_SOURCE_FEATURES = 10_000;
export const LARGE_SOURCE_UPDATE_INTERVAL_MS = 1_000;

function getReadingsSource(map: MaplibreMap): GeoJSONSource | undefined {
  const source = map.getSource<GeoJSONSource>(READINGS_SOURCE_ID);
  if (source === undefined) {
    console.error(`map: source "${READINGS_SOURCE_ID}" is missing from the style`);
  }
  return source;
}

/**
 * Sends only the changes since the last update when they are fewer than
 * the features, so MapLibre copies a few new features to its worker
 * instead of all of them.
 */
function applyFeatures(source: GeoJSONSource, previous: readonly ReadingFeature[], next: ReadingFeature[]): void {
  const diff = diffFeatures(previous, next);
  if (diff.add.length === 0 && diff.remove.length === 0) {
    return;
  }
  if (previous.length === 0 || diff.add.length + diff.remove.length >= next.length) {
    source.setData(toFeatureCollection(next));
    return;
  }
  source.updateData({ add: diff.add, remove: diff.remove });
}

/**
 * Keeps the readings source in step with `readings`: every change while the
 * source is small, and at most once per `LARGE_SOURCE_UPDATE_INTERVAL_MS`
 * once it has `LARGE_SOURCE_FEATURES` or more. A large update waits while
 * the user pans or zooms, because re-clustering then competes with drawing
 * for the CPU. Shows the layers of `viewMode` and clusters the source only
 * in the clusters view.
 */
export function useReadingsSource(map: MaplibreMap | null, readings: readonly LiveReading[], viewMode: ViewMode): void {
  const featureCacheRef = useRef(new WeakMap<LiveReading, ReadingFeature>());
  const features = useMemo(() => readingsToFeatures(readings, featureCacheRef.current), [readings]);

  // The scheduler of the current map reads the newest features through this ref.
  const latestRef = useRef(features);
  latestRef.current = features;
  const requestUpdateRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (map === null) {
      return;
    }
    let applied: readonly ReadingFeature[] = [];
    let lastUpdateMs = 0;
    let timer: number | undefined;
    let waitingForMoveEnd = false;

    const update = () => {
      timer = undefined;
      const next = latestRef.current;
      if (next.length >= LARGE_SOURCE_FEATURES && map.isMoving()) {
        if (!waitingForMoveEnd) {
          waitingForMoveEnd = true;
          map.once('moveend', handleMoveEnd);
        }
        return;
      }
      const source = getReadingsSource(map);
      if (source === undefined) {
        return;
      }
      applyFeatures(source, applied, next);
      applied = next;
      lastUpdateMs = performance.now();
    };

    function handleMoveEnd() {
      waitingForMoveEnd = false;
      requestUpdate();
    }

    const requestUpdate = () => {
      if (timer !== undefined || waitingForMoveEnd) {
        return;
      }
      const interval = latestRef.current.length >= LARGE_SOURCE_FEATURES ? LARGE_SOURCE_UPDATE_INTERVAL_MS : 0;
      const waitMs = lastUpdateMs + interval - performance.now();
      if (waitMs <= 0) {
        update();
      } else {
        timer = window.setTimeout(update, waitMs);
      }
    };

    requestUpdateRef.current = requestUpdate;
    requestUpdate();

    return () => {
      requestUpdateRef.current = null;
      window.clearTimeout(timer);
      map.off('moveend', handleMoveEnd);
    };
  }, [map]);

  useEffect(() => {
    requestUpdateRef.current?.();
  }, [features]);

  useEffect(() => {
    if (map === null) {
      return;
    }
    const source = getReadingsSource(map);
    source?.setClusterOptions({
      cluster: viewMode === 'clusters',
      clusterRadius: CLUSTER_RADIUS_PX,
      clusterMaxZoom: CLUSTER_MAX_ZOOM,
    });
    const shown = new Set(LAYERS_BY_VIEW_MODE[viewMode]);
    for (const layer of READING_LAYERS) {
      map.setLayoutProperty(layer.id, 'visibility', shown.has(layer.id) ? 'visible' : 'none');
    }
  }, [map, viewMode]);
}
