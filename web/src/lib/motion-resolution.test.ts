import { describe, expect, it } from 'vitest';

import { FrameRateMeter, nextMotionScale } from './motion-resolution';

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
