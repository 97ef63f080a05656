import type { Map as MaplibreMap } from 'maplibre-gl';
import { useEffect } from 'react';

import { FrameRateMeter, MOTION_SCALES, nextMotionScale } from '../lib/motion-resolution';

/** Idle time after a movement before full resolution returns. */
const RESTORE_DELAY_MS = 250;

/**
 * Lowers the drawing resolution while the map moves when it cannot draw
 * 30 frames per second at full resolution, as with software WebGL, and
 * restores it once the map stops. The coarser scale found during one
 * movement is used from the start of the next.
 */
export function useMotionResolution(map: MaplibreMap | null): void {
  useEffect(() => {
    if (map === null) {
      return;
    }
    const fullRatio = map.getPixelRatio();
    const meter = new FrameRateMeter();
    let motionScale: number = MOTION_SCALES[0];
    let moving = false;
    let restoreTimer: ReturnType<typeof setTimeout> | undefined;

    const applyScale = (scale: number) => {
      const ratio = fullRatio * scale;
      if (map.getPixelRatio() !== ratio) {
        map.setPixelRatio(ratio);
      }
    };

    const handleMoveStart = () => {
      clearTimeout(restoreTimer);
      moving = true;
      meter.reset();
      applyScale(motionScale);
    };

    const handleRender = () => {
      if (!moving) {
        return;
      }
      meter.add(performance.now());
      const fps = meter.framesPerSecond();
      if (fps === null) {
        return;
      }
      const next = nextMotionScale(motionScale, fps);
      if (next !== motionScale) {
        motionScale = next;
        meter.reset();
        applyScale(motionScale);
      }
    };

    const handleMoveEnd = () => {
      moving = false;
      clearTimeout(restoreTimer);
      restoreTimer = setTimeout(() => applyScale(1), RESTORE_DELAY_MS);
    };

    map.on('movestart', handleMoveStart);
    map.on('render', handleRender);
    map.on('moveend', handleMoveEnd);
    return () => {
      clearTimeout(restoreTimer);
      map.off('movestart', handleMoveStart);
      map.off('render', handleRender);
      map.off('moveend', handleMoveEnd);
    };
  }, [map]);
}
