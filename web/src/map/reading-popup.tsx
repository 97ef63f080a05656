import { type Map as MaplibreMap, Popup } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';

import type { Reading } from '../api/messages';
import { ReadingDetails } from '../components/reading-details';

export interface ReadingPopupProps {
  map: MaplibreMap;
  reading: Reading;
  /** Called when the user closes the popup with its close button. */
  onClose: () => void;
}

const POPUP_MAX_WIDTH = '300px';
const POPUP_OFFSET_PX = 12;

/** MapLibre popup at a reading, with its content rendered by React. */
export function ReadingPopup({ map, reading, onClose }: ReadingPopupProps) {
  const container = useMemo(() => document.createElement('div'), []);

  // The popup lives across renders, so it calls the latest onClose through a ref.
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    // The map's click handler decides the selection, so a click elsewhere
    // must not also close the popup on its own.
    const popup = new Popup({ closeOnClick: false, maxWidth: POPUP_MAX_WIDTH, offset: POPUP_OFFSET_PX })
      .setLngLat([reading.lon, reading.lat])
      .setDOMContent(container)
      .addTo(map);

    const handleClose = () => onCloseRef.current();
    popup.on('close', handleClose);

    return () => {
      popup.off('close', handleClose);
      popup.remove();
    };
  }, [map, reading, container]);

  return createPortal(<ReadingDetails reading={reading} />, container);
}
