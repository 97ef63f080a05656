import type { Stats } from '../api/stats';

/** Records per second of each topic at one stats poll. */
export interface StatsSample {
  /** Wall-clock time of the poll in ms since the Unix epoch. */
  timeMs: number;
  /** Rate per topic name; null where the server sent no rate. */
  rates: Record<string, number | null>;
}

/** Time span of rate history the system panel charts. */
export const SAMPLE_WINDOW_MS = 120_000;

/** Builds a sample from a stats body; returns null when the server reports no topics. */
export function sampleStats(stats: Stats, timeMs: number): StatsSample | null {
  if (stats.topics === null) {
    return null;
  }
  const rates: Record<string, number | null> = {};
  for (const [topic, entry] of Object.entries(stats.topics)) {
    rates[topic] = entry.per_second;
  }
  return { timeMs, rates };
}

/** Appends a sample and drops those older than `windowMs` before it. */
export function appendSample(
  samples: readonly StatsSample[],
  sample: StatsSample,
  windowMs: number = SAMPLE_WINDOW_MS,
): StatsSample[] {
  const oldest = sample.timeMs - windowMs;
  return [...samples.filter((item) => item.timeMs >= oldest), sample];
}
