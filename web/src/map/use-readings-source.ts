import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';

import type { Reading } from '../api/messages';
import { type ReadingFeature, readingsToFeatureCollection } from '../lib/features';
import { READINGS_SOURCE_ID } from './layers/reading-layers';

/**
 * Keeps the readings source's data in step with `readings`, which the feed
 * changes at most once per animation frame. MapLibre 5 sends one update at
 * a time to its worker and replaces a waiting update with the newest
 * (GeoJSONSource._updateWorkerData), so a fast feed does not queue copies.
 */
export function useReadingsSource(map: MaplibreMap | null, readings: readonly Reading[]): void {
  const featureCacheRef = useRef(new WeakMap<Reading, ReadingFeature>());

  const features = useMemo(
    () => readingsToFeatureCollection(readings, featureCacheRef.current),
    [readings],
  );

  useEffect(() => {
    if (map === null) {
      return;
    }
    const source = map.getSource<GeoJSONSource>(READINGS_SOURCE_ID);
    if (source === undefined) {
      console.error(`map: source "${READINGS_SOURCE_ID}" is missing from the style`);
      return;
    }
    source.setData(features);
  }, [map, features]);
}
