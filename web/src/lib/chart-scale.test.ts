import { describe, expect, it } from 'vitest';

import { niceCeiling, scaleChart } from './chart-scale';
import type { StatsSample } from './stats-samples';

const SIZE = { width: 300, height: 100 };
const WINDOW_MS = 120_000;
const NOW_MS = 1_000_000;

function sample(secondsAgo: number, rates: Record<string, number | null>): StatsSample {
  return { timeMs: NOW_MS - secondsAgo * 1000, rates };
}

describe('niceCeiling', () => {
  it.each([
    [0, 1],
    [-4, 1],
    [0.3, 0.5],
    [1, 1],
    [1.2, 2],
    [3, 5],
    [7, 10],
    [812.5, 1000],
    [1001, 2000],
    [45_000, 50_000],
  ])('rounds %d up to %d', (value, expected) => {
    expect(niceCeiling(value)).toBeCloseTo(expected, 10);
  });
});

describe('scaleChart', () => {
  it('maps the window to the width and the rate to the height', () => {
    const samples = [sample(120, { a: 0 }), sample(60, { a: 50 }), sample(0, { a: 100 })];

    const scale = scaleChart(samples, SIZE, WINDOW_MS, NOW_MS);

    expect(scale.yMax).toBe(100);
    expect(scale.lines).toEqual([{ topic: 'a', path: 'M0,100 L150,50 L300,0' }]);
  });

  it('draws one line per topic in order of appearance', () => {
    const samples = [sample(10, { input: 10, dirty: 1 }), sample(0, { input: 20, dirty: 2, critical: 0 })];

    const scale = scaleChart(samples, SIZE, WINDOW_MS, NOW_MS);

    expect(scale.lines.map((line) => line.topic)).toEqual(['input', 'dirty', 'critical']);
    expect(scale.yMax).toBe(20);
  });

  it('breaks a line where a rate is missing', () => {
    const samples = [sample(30, { a: 5 }), sample(20, { a: null }), sample(10, { a: 5 }), sample(0, { a: 5 })];

    const path = scaleChart(samples, SIZE, WINDOW_MS, NOW_MS).lines[0]?.path ?? '';

    expect(path.match(/M/g)).toHaveLength(2);
    expect(path).toBe('M225,0 M275,0 L300,0');
  });

  it('leaves out samples older than the window', () => {
    const samples = [sample(200, { a: 1000 }), sample(0, { a: 10 })];

    const scale = scaleChart(samples, SIZE, WINDOW_MS, NOW_MS);

    expect(scale.lines[0]?.path).toBe('M300,0');
  });

  it('uses a top of 1 when every rate is 0', () => {
    const scale = scaleChart([sample(0, { a: 0 })], SIZE, WINDOW_MS, NOW_MS);

    expect(scale.yMax).toBe(1);
    expect(scale.lines[0]?.path).toBe('M300,100');
  });
});
