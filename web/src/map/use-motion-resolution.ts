import type { Map as MaplibreMap } from 'maplibre-gl';
import { useEffect } from 'react';

import { MotionScaleController } from '../lib/motion-resolution';

/** Idle time after a movement before full resolution returns. */
const RESTORE_DELAY_MS = 250;

/**
 * Lowers the drawing resolution while the map moves when it cannot draw
 * 30 frames per second at full resolution, as with software WebGL, and
 * restores it once the map stops. A movement starts at the scale the last
 * one ended with, or a step finer when the last one was fast throughout.
 */
export function useMotionResolution(map: MaplibreMap | null): void {
  useEffect(() => {
    if (map === null) {
      return;
    }
    const fullRatio = map.getPixelRatio();
    const controller = new MotionScaleController();
    let moving = false;
    let restoreTimer: ReturnType<typeof setTimeout> | undefined;
    // setPixelRatio resizes the map, and a resize of a map at rest fires
    // movestart and moveend at once. Those must not start a movement here,
    // because restoring full resolution would then lower it again, forever.
    let resizing = false;

    const applyScale = (scale: number) => {
      const ratio = fullRatio * scale;
      if (map.getPixelRatio() !== ratio) {
        resizing = true;
        try {
          map.setPixelRatio(ratio);
        } finally {
          resizing = false;
        }
      }
    };

    // Frames are counted with requestAnimationFrame, the frames the page
    // shows. The map's render event can fire more often than that when the
    // compositor is the slow part.
    let frameRequest: number | undefined;
    const onAnimationFrame = (time: number) => {
      if (!moving) {
        frameRequest = undefined;
        return;
      }
      const changed = controller.onFrame(time);
      if (changed !== null) {
        applyScale(changed);
      }
      frameRequest = requestAnimationFrame(onAnimationFrame);
    };

    const handleMoveStart = () => {
      if (resizing) {
        return;
      }
      clearTimeout(restoreTimer);
      moving = true;
      controller.startMovement();
      applyScale(controller.scale);
      if (frameRequest === undefined) {
        frameRequest = requestAnimationFrame(onAnimationFrame);
      }
    };

    const handleMoveEnd = () => {
      if (resizing) {
        return;
      }
      moving = false;
      clearTimeout(restoreTimer);
      restoreTimer = setTimeout(() => applyScale(1), RESTORE_DELAY_MS);
    };

    map.on('movestart', handleMoveStart);
    map.on('moveend', handleMoveEnd);
    return () => {
      clearTimeout(restoreTimer);
      if (frameRequest !== undefined) {
        cancelAnimationFrame(frameRequest);
      }
      map.off('movestart', handleMoveStart);
      map.off('moveend', handleMoveEnd);
    };
  }, [map]);
}
