import {
  type ErrorEvent as MapErrorEvent,
  type GeoJSONSource,
  Map as MaplibreMap,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  NavigationControl,
} from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';

import { findReadingBySeq } from '../lib/features';
import type { LiveReading } from '../lib/reading-history';
import { CLICKABLE_READING_LAYER_IDS, CLUSTER_LAYER, READINGS_SOURCE_ID, type ViewMode } from './layers/reading-layers';
import { buildMapStyle } from './map-style';
import { ReadingPopup } from './reading-popup';
import { useClusterTooltip } from './use-cluster-tooltip';
import { useFitOnce } from './use-fit-once';
import { type FocusRequest, useFocusRequest } from './use-focus-request';
import { useMotionResolution } from './use-motion-resolution';
import { useReadingsSource } from './use-readings-source';

export interface MapViewProps {
  /** Readings to draw, in arrival order. */
  readings: readonly LiveReading[];
  viewMode: ViewMode;
  /** The latest request to fly to a reading, such as a click on an alert. */
  focus: FocusRequest | null;
}

/** Whole world, centred a little north of the equator. */
const INITIAL_CENTER: [number, number] = [0, 20];
const INITIAL_ZOOM = 1.2;

/** Distance from a tap or click within which a reading counts as hit. */
const CLICK_TOLERANCE_PX = 6;

const CLUSTER_ZOOM_DURATION_MS = 600;

/** Zooms into a clicked cluster far enough that it splits. */
async function expandCluster(map: MaplibreMap, cluster: MapGeoJSONFeature): Promise<void> {
  const clusterId: unknown = cluster.properties.cluster_id;
  if (typeof clusterId !== 'number' || cluster.geometry.type !== 'Point') {
    console.error(`map: clicked cluster has no numeric "cluster_id" property or no point geometry`);
    return;
  }
  const source = map.getSource<GeoJSONSource>(READINGS_SOURCE_ID);
  if (source === undefined) {
    return;
  }
  try {
    const zoom = await source.getClusterExpansionZoom(clusterId);
    const [lon = 0, lat = 0] = cluster.geometry.coordinates;
    map.easeTo({ center: [lon, lat], zoom, duration: CLUSTER_ZOOM_DURATION_MS });
  } catch (error) {
    // The cluster no longer exists when the source changed since the click.
    console.error(`map: failed to expand cluster ${clusterId}:`, error);
  }
}

/**
 * Full-window map of the readings over the bundled basemap. The map, its
 * sources and its layers are created once; readings reach the map only
 * through the readings source's data.
 */
export function MapView({ readings, viewMode, focus }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [selected, setSelected] = useState<LiveReading | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  // The click handler is registered once, so it reads the readings through a ref.
  const readingsRef = useRef(readings);
  useEffect(() => {
    readingsRef.current = readings;
  }, [readings]);

  useReadingsSource(map, readings, viewMode);
  useFitOnce(map, readings);
  useClusterTooltip(map, viewMode);
  useFocusRequest(map, focus, setSelected);
  useMotionResolution(map);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) {
      return;
    }

    let instance: MaplibreMap;
    try {
      instance = new MaplibreMap({
        container,
        style: buildMapStyle(),
        center: INITIAL_CENTER,
        zoom: INITIAL_ZOOM,
        attributionControl: { compact: true },
      });
    } catch (error) {
      // MapLibre throws here when the browser cannot create a WebGL context.
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`map: failed to start: ${reason}`);
      setStartError(reason);
      return;
    }

    const navigation = new NavigationControl({ showCompass: false });
    // Bottom left, because the control panel covers the right edge on wide screens.
    instance.addControl(navigation, 'bottom-left');

    const handleLoad = () => setMap(instance);

    const handleError = (event: MapErrorEvent) => {
      console.error('map: rendering error:', event.error);
    };

    const handleClick = (event: MapMouseEvent) => {
      const { x, y } = event.point;
      const hits = instance.queryRenderedFeatures(
        [
          [x - CLICK_TOLERANCE_PX, y - CLICK_TOLERANCE_PX],
          [x + CLICK_TOLERANCE_PX, y + CLICK_TOLERANCE_PX],
        ],
        { layers: CLICKABLE_READING_LAYER_IDS },
      );
      const topmost = hits[0];
      if (topmost === undefined) {
        setSelected(null);
        return;
      }
      if (topmost.layer.id === CLUSTER_LAYER.id) {
        setSelected(null);
        void expandCluster(instance, topmost);
        return;
      }

      // The feature id is the reading's seq; MapLibre returns ids untyped.
      const seq: unknown = topmost.id;
      if (typeof seq !== 'number') {
        console.error(`map: clicked feature on layer "${topmost.layer.id}" has no numeric id`);
        setSelected(null);
        return;
      }
      // The reading may have been dropped from the history since the last update.
      setSelected(findReadingBySeq(readingsRef.current, seq) ?? null);
    };

    const handleMouseEnter = () => {
      instance.getCanvas().style.cursor = 'pointer';
    };
    const handleMouseLeave = () => {
      instance.getCanvas().style.cursor = '';
    };

    instance.on('load', handleLoad);
    instance.on('error', handleError);
    instance.on('click', handleClick);
    instance.on('mouseenter', CLICKABLE_READING_LAYER_IDS, handleMouseEnter);
    instance.on('mouseleave', CLICKABLE_READING_LAYER_IDS, handleMouseLeave);

    return () => {
      instance.off('load', handleLoad);
      instance.off('error', handleError);
      instance.off('click', handleClick);
      instance.off('mouseenter', CLICKABLE_READING_LAYER_IDS, handleMouseEnter);
      instance.off('mouseleave', CLICKABLE_READING_LAYER_IDS, handleMouseLeave);
      instance.removeControl(navigation);
      instance.remove();
      setMap(null);
    };
  }, []);

  const handlePopupClose = () => setSelected(null);

  return (
    <>
      <div ref={containerRef} className="map" data-testid="map" />
      {startError !== null && (
        <p className="map-error" role="alert">
          The map cannot be shown because this browser failed to start WebGL: {startError}
        </p>
      )}
      {map !== null && selected !== null && (
        <ReadingPopup map={map} reading={selected} onClose={handlePopupClose} />
      )}
    </>
  );
}
