/**
 * Drawing resolution while the map moves, as a share of the device pixel
 * ratio. Software WebGL (no GPU) often spends most of a frame on per-pixel work,
 * so a map that cannot pan at `MOTION_TARGET_FPS` draws fewer pixels while
 * it moves and goes back to full resolution when it stops.
 */
export const MOTION_SCALES = [1, 0.75, 0.5] as const;

/** Frame rate the map keeps while it moves, if a lower resolution allows. */
export const MOTION_TARGET_FPS = 30;

/** A movement whose windows were all above this rate makes the next one start a step finer. */
export const MOTION_RAISE_FPS = 50;

/** Frames measured before the resolution changes. */
export const MOTION_SAMPLE_FRAMES = 10;

/**
 * Returns the motion scale to use after measuring `fps` at `scale`: the next
 * coarser step when the rate is below the target, the next finer one when it
 * is well above, else `scale`.
 */
export function nextMotionScale(scale: number, fps: number): number {
  const index = MOTION_SCALES.findIndex((step) => step === scale);
  const current = index < 0 ? 0 : index;
  if (fps < MOTION_TARGET_FPS && current < MOTION_SCALES.length - 1) {
    return MOTION_SCALES[current + 1] ?? scale;
  }
  if (fps > MOTION_RAISE_FPS && current > 0) {
    return MOTION_SCALES[current - 1] ?? scale;
  }
  return MOTION_SCALES[current] ?? scale;
}

/** Frames per second over the last frames, from their timestamps in ms. */
export class FrameRateMeter {
  private readonly times: number[] = [];

  constructor(private readonly frames: number = MOTION_SAMPLE_FRAMES) {}

  add(timeMs: number): void {
    this.times.push(timeMs);
    if (this.times.length > this.frames + 1) {
      this.times.shift();
    }
  }

  reset(): void {
    this.times.length = 0;
  }

  /** Returns the rate over the last `frames` intervals, or null until that many were seen. */
  framesPerSecond(): number | null {
    if (this.times.length <= this.frames) {
      return null;
    }
    const first = this.times[0] ?? 0;
    const last = this.times[this.times.length - 1] ?? 0;
    return last > first ? (this.frames * 1000) / (last - first) : null;
  }
}

/**
 * Chooses the motion scale from frame timestamps, measuring the rate over
 * `MOTION_SAMPLE_FRAMES` frames at a time. During a movement the scale only
 * gets coarser, one step per slow measurement. A movement whose
 * measurements were all above `MOTION_RAISE_FPS` makes the next one start a
 * step finer. Changing the scale resizes the drawing buffers, which costs a
 * long frame, so the scale never swings between two steps within a movement.
 */
export class MotionScaleController {
  private readonly meter = new FrameRateMeter();
  private measurements = 0;
  private allFast = true;

  constructor(private current: number = MOTION_SCALES[0]) {}

  get scale(): number {
    return this.current;
  }

  /** Starts a movement: one step finer when the last one was fast throughout. */
  startMovement(): void {
    if (this.measurements > 0 && this.allFast) {
      this.current = nextMotionScale(this.current, MOTION_RAISE_FPS + 1);
    }
    this.meter.reset();
    this.measurements = 0;
    this.allFast = true;
  }

  /** Records a frame of a movement; returns the new scale when it changes, else null. */
  onFrame(timeMs: number): number | null {
    this.meter.add(timeMs);
    const fps = this.meter.framesPerSecond();
    if (fps === null) {
      return null;
    }
    this.meter.reset();
    this.meter.add(timeMs);
    this.measurements += 1;
    this.allFast = this.allFast && fps > MOTION_RAISE_FPS;
    const proposed = nextMotionScale(this.current, fps);
    if (proposed >= this.current) {
      return null;
    }
    this.current = proposed;
    // The first frames after a resize are not typical.
    this.meter.reset();
    return proposed;
  }
}
