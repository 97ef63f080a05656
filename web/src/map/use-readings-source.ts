import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';

import { diffFeatures } from '../lib/feature-diff';
import { type ReadingFeature, readingsToFeatures, toFeatureCollection } from '../lib/features';
import type { LiveReading } from '../lib/reading-history';
import {
  CLUSTER_OPTIONS_BY_VIEW_MODE,
  CRITICAL_SOURCE_ID,
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

function getGeoJsonSource(map: MaplibreMap, id: string): GeoJSONSource | undefined {
  const source = map.getSource<GeoJSONSource>(id);
  if (source === undefined) {
    console.error(`map: source "${id}" is missing from the style`);
  }
  return source;
}

/** Features of the readings source and, among them, those of the critical source. */
interface SourceFeatures {
  readings: ReadingFeature[];
  critical: ReadingFeature[];
}

const NO_FEATURES: SourceFeatures = { readings: [], critical: [] };

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
 * Keeps the readings source, and the critical source with the critical
 * readings among them, in step with `readings`: every change while the
 * readings are few, and at most once per `LARGE_SOURCE_UPDATE_INTERVAL_MS`
 * once there are `LARGE_SOURCE_FEATURES` or more. A large update waits
 * while the user pans or zooms, because re-clustering then competes with
 * drawing for the CPU. Shows the layers of `viewMode` and clusters the
 * readings source as that mode needs.
 */
export function useReadingsSource(map: MaplibreMap | null, readings: readonly LiveReading[], viewMode: ViewMode): void {
  const featureCacheRef = useRef(new WeakMap<LiveReading, ReadingFeature>());
  const features = useMemo((): SourceFeatures => {
    const all = readingsToFeatures(readings, featureCacheRef.current);
    return { readings: all, critical: all.filter((feature) => feature.properties.critical) };
  }, [readings]);

  // The scheduler of the current map reads the newest features through this ref.
  const latestRef = useRef(features);
  latestRef.current = features;
  const requestUpdateRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (map === null) {
      return;
    }
    let applied = NO_FEATURES;
    let lastUpdateMs = 0;
    let timer: number | undefined;
    let waitingForMoveEnd = false;

    const update = () => {
      timer = undefined;
      const next = latestRef.current;
      if (next.readings.length >= LARGE_SOURCE_FEATURES && map.isMoving()) {
        if (!waitingForMoveEnd) {
          waitingForMoveEnd = true;
          map.once('moveend', handleMoveEnd);
        }
        return;
      }
      const readingsSource = getGeoJsonSource(map, READINGS_SOURCE_ID);
      const criticalSource = getGeoJsonSource(map, CRITICAL_SOURCE_ID);
      if (readingsSource === undefined || criticalSource === undefined) {
        return;
      }
      applyFeatures(readingsSource, applied.readings, next.readings);
      applyFeatures(criticalSource, applied.critical, next.critical);
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
      const interval =
        latestRef.current.readings.length >= LARGE_SOURCE_FEATURES ? LARGE_SOURCE_UPDATE_INTERVAL_MS : 0;
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
    getGeoJsonSource(map, READINGS_SOURCE_ID)?.setClusterOptions(CLUSTER_OPTIONS_BY_VIEW_MODE[viewMode]);
    const shown = new Set(LAYERS_BY_VIEW_MODE[viewMode]);
    for (const layer of READING_LAYERS) {
      map.setLayoutProperty(layer.id, 'visibility', shown.has(layer.id) ? 'visible' : 'none');
    }
  }, [map, viewMode]);
}
