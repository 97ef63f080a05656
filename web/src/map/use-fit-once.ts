import type { Map as MaplibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';

import type { Reading } from '../api/messages';
import { computeBounds } from '../lib/bounds';

/** The first fit zooms no closer than this, even for a single sensor. */
const FIT_MAX_ZOOM = 11;
const FIT_DURATION_MS = 800;

/** Extra room at the top of the fit for the status overlay. */
const FIT_OVERLAY_PADDING_PX = 110;

/**
 * Extra room at the right of the fit for the control panel (340 px wide,
 * 10 px from the edge), on screens wider than `NARROW_LAYOUT_MAX_WIDTH_PX`.
 */
const FIT_PANEL_PADDING_PX = 360;

/** Widest screen on which the control panel is a drawer; must match the media query in app.css. */
const NARROW_LAYOUT_MAX_WIDTH_PX = 700;

/** Share of the shorter canvas side kept free around the readings. */
const FIT_MARGIN_SHARE = 0.08;

function fitPadding(map: MaplibreMap) {
  const canvas = map.getCanvas();
  const margin = Math.round(Math.min(canvas.clientWidth, canvas.clientHeight) * FIT_MARGIN_SHARE);
  const panel = canvas.clientWidth > NARROW_LAYOUT_MAX_WIDTH_PX ? FIT_PANEL_PADDING_PX : 0;
  return { top: margin + FIT_OVERLAY_PADDING_PX, bottom: margin, left: margin, right: margin + panel };
}

/**
 * Fits the view to the readings once, when the first readings arrive, so
 * later batches never move a view the user has panned.
 */
export function useFitOnce(map: MaplibreMap | null, readings: readonly Reading[]): void {
  const hasFitRef = useRef(false);

  useEffect(() => {
    if (map === null || hasFitRef.current) {
      return;
    }
    const bounds = computeBounds(readings);
    if (bounds === null) {
      return;
    }
    map.fitBounds(bounds, {
      padding: fitPadding(map),
      maxZoom: FIT_MAX_ZOOM,
      duration: FIT_DURATION_MS,
    });
    hasFitRef.current = true;
  }, [map, readings]);
}
