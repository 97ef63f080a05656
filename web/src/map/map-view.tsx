import {
  type ErrorEvent as MapErrorEvent,
  Map as MaplibreMap,
  type MapMouseEvent,
  NavigationControl,
} from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';

import type { Reading } from '../api/messages';
import { findReadingByKey } from '../lib/features';
import { CLICKABLE_READING_LAYER_IDS } from './layers/reading-layers';
import { buildMapStyle } from './map-style';
import { ReadingPopup } from './reading-popup';
import { useFitOnce } from './use-fit-once';
import { useReadingsSource } from './use-readings-source';

export interface MapViewProps {
  /** Readings to draw, oldest first. */
  readings: readonly Reading[];
}

/** Whole world, centred a little north of the equator. */
const INITIAL_CENTER: [number, number] = [0, 20];
const INITIAL_ZOOM = 1.2;

/** Distance from a tap or click within which a reading counts as hit. */
const CLICK_TOLERANCE_PX = 6;

/**
 * Full-window map of the readings over the bundled basemap. The map, its
 * sources and its layers are created once; readings reach the map only
 * through the readings source's data.
 */
export function MapView({ readings }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [selected, setSelected] = useState<Reading | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  // The click handler is registered once, so it reads the readings through a ref.
  const readingsRef = useRef(readings);
  useEffect(() => {
    readingsRef.current = readings;
  }, [readings]);

  useReadingsSource(map, readings);
  useFitOnce(map, readings);

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
    instance.addControl(navigation, 'bottom-right');

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

      // Properties come back from MapLibre's tiles untyped.
      const key: unknown = topmost.properties.key;
      if (typeof key !== 'string') {
        console.error(`map: clicked feature on layer "${topmost.layer.id}" has no string "key" property`);
        setSelected(null);
        return;
      }
      // The reading may have been dropped from the history since the last update.
      setSelected(findReadingByKey(readingsRef.current, key) ?? null);
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
      <div ref={containerRef} className="map" />
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
