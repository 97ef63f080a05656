import { describe, expect, it } from 'vitest';

import { FrameRateMeter, MotionScaleController, nextMotionScale } from './motion-resolution';

describe('nextMotionScale', () => {
  it('steps down while below 30 fps', () => {
    expect(nextMotionScale(1, 14)).toBe(0.75);
    expect(nextMotionScale(0.75, 22)).toBe(0.5);
  });

  it('stops at half resolution', () => {
    expect(nextMotionScale(0.5, 10)).toBe(0.5);
  });

  it('steps up again above 50 fps', () => {
    expect(nextMotionScale(0.5, 58)).toBe(0.75);
    expect(nextMotionScale(0.75, 60)).toBe(1);
    expect(nextMotionScale(1, 60)).toBe(1);
  });

  it('keeps the scale between 30 and 50 fps', () => {
    expect(nextMotionScale(0.75, 30)).toBe(0.75);
    expect(nextMotionScale(0.75, 50)).toBe(0.75);
  });

  it('treats an unknown scale as full resolution', () => {
    expect(nextMotionScale(0.6, 20)).toBe(0.75);
  });
});

describe('FrameRateMeter', () => {
  it('needs one more timestamp than frames', () => {
    const meter = new FrameRateMeter(4);
    [0, 50, 100, 150].forEach((time) => meter.add(time));

    expect(meter.framesPerSecond()).toBeNull();

    meter.add(200);

    // 4 intervals of 50 ms: 20 frames per second.
    expect(meter.framesPerSecond()).toBe(20);
  });

  it('keeps only the latest frames', () => {
    const meter = new FrameRateMeter(2);
    [0, 100, 200, 210, 220].forEach((time) => meter.add(time));

    // The last 2 intervals, 10 ms each: 100 frames per second.
    expect(meter.framesPerSecond()).toBe(100);
  });

  it('starts over after reset', () => {
    const meter = new FrameRateMeter(1);
    meter.add(0);
    meter.add(10);
    meter.reset();
    meter.add(20);

    expect(meter.framesPerSecond()).toBeNull();
  });
});

describe('MotionScaleController', () => {
  /** Feeds `count` frames `intervalMs` apart from `start`; returns the changes and the next time. */
  function feed(controller: MotionScaleController, start: number, count: number, intervalMs: number) {
    const changes: number[] = [];
    let time = start;
    for (let frame = 0; frame < count; frame += 1) {
      time += intervalMs;
      const changed = controller.onFrame(time);
      if (changed !== null) {
        changes.push(changed);
      }
    }
    return { changes, time };
  }

  it('steps down after one slow measurement', () => {
    const controller = new MotionScaleController();
    controller.startMovement();
    // 11 frames 100 ms apart: 10 intervals at 10 fps.
    const { changes } = feed(controller, 0, 11, 100);

    expect(changes).toEqual([0.75]);
    expect(controller.scale).toBe(0.75);
  });

  it('never steps up within a movement', () => {
    const controller = new MotionScaleController(0.5);
    controller.startMovement();
    // 10 ms apart is 100 fps, for 5 measurements.
    const { changes } = feed(controller, 0, 51, 10);

    expect(changes).toEqual([]);
    expect(controller.scale).toBe(0.5);
  });

  it('starts a step finer after a fast movement', () => {
    const controller = new MotionScaleController(0.5);
    controller.startMovement();
    feed(controller, 0, 21, 10);
    controller.startMovement();

    expect(controller.scale).toBe(0.75);
  });

  it('keeps the scale after a movement that was not fast throughout', () => {
    const controller = new MotionScaleController(0.5);
    controller.startMovement();
    const fast = feed(controller, 0, 11, 10);
    // 25 ms apart is 40 fps: between the thresholds.
    feed(controller, fast.time, 10, 25);
    controller.startMovement();

    expect(controller.scale).toBe(0.5);
  });

  it('keeps the scale after a movement too short to measure', () => {
    const controller = new MotionScaleController(0.5);
    controller.startMovement();
    feed(controller, 0, 3, 10);
    controller.startMovement();

    expect(controller.scale).toBe(0.5);
  });
});
