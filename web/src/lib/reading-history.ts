import type { Reading } from '../api/messages';

/** A reading kept by the map: the parsed record plus its arrival order. */
export interface LiveReading extends Reading {
  /** Arrival order on this page, from 1; also the map feature id. */
  seq: number;
}

/**
 * How much history the map holds: the newest `count` readings by arrival,
 * or the readings captured within `minutes` of the newest capture time.
 */
export type HistoryLimit = { mode: 'readings'; count: number } | { mode: 'minutes'; minutes: number };

export const DEFAULT_HISTORY_LIMIT: HistoryLimit = { mode: 'readings', count: 50_000 };

/**
 * Upper bound on held readings in either mode, so a fast feed in minutes
 * mode cannot exhaust the page's memory.
 * NOTE: chosen as twice the 100,000 readings the map was measured with, not
 * from a measured memory limit.
 */
export const MAX_HELD_READINGS = 200_000;

const MS_PER_MINUTE = 60_000;

/** Returns the latest capture time of the readings in ms, or null for none. */
export function newestEventTime(readings: readonly Reading[], start: number | null = null): number | null {
  let newest = start;
  for (const reading of readings) {
    if (newest === null || reading.eventTimeMs > newest) {
      newest = reading.eventTimeMs;
    }
  }
  return newest;
}

/**
 * Drops the readings outside the limit and keeps the order of the rest.
 * `newestEventMs` is the latest capture time seen, which may belong to a
 * reading already dropped. Returns the input array itself when nothing is
 * dropped.
 */
export function applyHistoryLimit<T extends Reading>(
  readings: readonly T[],
  limit: HistoryLimit,
  newestEventMs: number | null,
): readonly T[] {
  let kept = readings;
  if (limit.mode === 'minutes' && newestEventMs !== null) {
    const cutoff = newestEventMs - limit.minutes * MS_PER_MINUTE;
    if (readings.some((reading) => reading.eventTimeMs < cutoff)) {
      kept = readings.filter((reading) => reading.eventTimeMs >= cutoff);
    }
  }

  const maxCount = limit.mode === 'readings' ? Math.min(limit.count, MAX_HELD_READINGS) : MAX_HELD_READINGS;
  if (kept.length > maxCount) {
    kept = kept.slice(kept.length - maxCount);
  }
  return kept;
}

/**
 * Returns the history readings whose key no held reading has, so a
 * reconnect does not add the server's recent history a second time.
 */
export function dropKnownReadings<T extends Reading>(held: readonly Reading[], history: readonly T[]): T[] {
  if (held.length === 0) {
    return history.slice();
  }
  const heldKeys = new Set(held.map((reading) => reading.key));
  return history.filter((reading) => !heldKeys.has(reading.key));
}

/** Checks a limit typed by the user; returns an error message or null. */
export function validateHistoryLimit(limit: HistoryLimit): string | null {
  if (limit.mode === 'readings') {
    if (!Number.isInteger(limit.count) || limit.count < 1 || limit.count > MAX_HELD_READINGS) {
      return `Enter a whole number of readings from 1 to ${MAX_HELD_READINGS.toLocaleString('en-US')}.`;
    }
    return null;
  }
  if (!Number.isFinite(limit.minutes) || limit.minutes <= 0) {
    return 'Enter a number of minutes above 0.';
  }
  return null;
}
