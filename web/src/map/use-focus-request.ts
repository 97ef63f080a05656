import type { Map as MaplibreMap } from 'maplibre-gl';
import { useEffect } from 'react';

import type { LiveReading } from '../lib/reading-history';
import { CLUSTER_MAX_ZOOM } from './layers/reading-layers';

/** A request to fly to a reading; a new `requestId` repeats the flight to the same reading. */
export interface FocusRequest {
  reading: LiveReading;
  requestId: number;
}

/** Zoom of a flight to a reading: past the clusters, so the reading shows as its own circle. */
export const FOCUS_ZOOM = CLUSTER_MAX_ZOOM + 2;
const FOCUS_DURATION_MS = 1_500;

/** Flies the map to each new focus request and selects its reading. */
export function useFocusRequest(
  map: MaplibreMap | null,
  focus: FocusRequest | null,
  onSelect: (reading: LiveReading) => void,
): void {
  useEffect(() => {
    if (map === null || focus === null) {
      return;
    }
    const { reading } = focus;
    map.flyTo({
      center: [reading.lon, reading.lat],
      zoom: Math.max(map.getZoom(), FOCUS_ZOOM),
      duration: FOCUS_DURATION_MS,
    });
    onSelect(reading);
    // onSelect must keep its identity (MapView passes a state setter), or
    // every render would start the flight again.
  }, [map, focus, onSelect]);
}
