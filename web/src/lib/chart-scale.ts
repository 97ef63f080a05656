import type { StatsSample } from './stats-samples';

export interface ChartSize {
  width: number;
  height: number;
}

export interface ChartLine {
  topic: string;
  /** SVG path data; each run of samples without a gap is one `M … L …` segment. */
  path: string;
}

export interface ChartScale {
  /** Rate at the top edge of the chart, rounded up to 1, 2 or 5 times a power of ten. */
  yMax: number;
  lines: ChartLine[];
}

/** Rounds a positive number up to 1, 2 or 5 times a power of ten; returns 1 for 0 or less. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) {
      return step * power;
    }
  }
  return 10 * power;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Lays out one line per topic: time runs from `nowMs - windowMs` at the
 * left edge to `nowMs` at the right, and the rate from 0 at the bottom to
 * `yMax` at the top. A sample without a rate for a topic breaks its line.
 */
export function scaleChart(
  samples: readonly StatsSample[],
  size: ChartSize,
  windowMs: number,
  nowMs: number,
): ChartScale {
  const startMs = nowMs - windowMs;
  const topics: string[] = [];
  let maxRate = 0;
  for (const sample of samples) {
    for (const [topic, rate] of Object.entries(sample.rates)) {
      if (!topics.includes(topic)) {
        topics.push(topic);
      }
      if (rate !== null && sample.timeMs >= startMs) {
        maxRate = Math.max(maxRate, rate);
      }
    }
  }

  const yMax = niceCeiling(maxRate);
  const x = (timeMs: number) => round(((timeMs - startMs) / windowMs) * size.width);
  const y = (rate: number) => round(size.height - (rate / yMax) * size.height);

  const lines = topics.map((topic) => {
    const commands: string[] = [];
    let drawing = false;
    for (const sample of samples) {
      const rate = sample.rates[topic];
      if (rate === undefined || rate === null || sample.timeMs < startMs) {
        drawing = false;
        continue;
      }
      commands.push(`${drawing ? 'L' : 'M'}${x(sample.timeMs)},${y(rate)}`);
      drawing = true;
    }
    return { topic, path: commands.join(' ') };
  });
  return { yMax, lines };
}
