import { useEffect, useState } from 'react';

import { STATS_PATH } from '../api/endpoints';
import type { Stats } from '../api/stats';
import { fetchStats } from '../api/stats-client';
import { type StatsSample, appendSample, sampleStats } from '../lib/stats-samples';

/** Pause between the end of one stats request and the start of the next. */
export const STATS_POLL_INTERVAL_MS = 1_000;

/** A stats request still pending after this long is aborted. */
export const STATS_REQUEST_TIMEOUT_MS = 5_000;

export interface StatsState {
  /** Latest valid counters; kept while later requests fail. */
  stats: Stats | null;
  /** Error message of the latest request; null after a success. */
  error: string | null;
  /** Time of the latest successful request. */
  lastUpdate: Date | null;
  /** Topic rates of the successful polls of the last two minutes, oldest first. */
  samples: readonly StatsSample[];
}

const INITIAL_STATE: StatsState = { stats: null, error: null, lastUpdate: null, samples: [] };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Polls `GET /api/stats`. A new request starts only after the previous one
 * has finished, so a slow server never has more than one request pending
 * from a page.
 */
export function useStats(intervalMs: number = STATS_POLL_INTERVAL_MS): StatsState {
  const [state, setState] = useState<StatsState>(INITIAL_STATE);

  useEffect(() => {
    let disposed = false;
    let pollTimer: number | undefined;
    let controller: AbortController | null = null;
    let loggedError: string | null = null;

    const poll = async () => {
      const request = new AbortController();
      controller = request;
      const timeoutTimer = window.setTimeout(() => {
        request.abort(new Error(`GET ${STATS_PATH} timed out after ${STATS_REQUEST_TIMEOUT_MS} ms`));
      }, STATS_REQUEST_TIMEOUT_MS);

      try {
        const stats = await fetchStats(request.signal);
        if (disposed) return;
        if (loggedError !== null) {
          console.info(`stats: GET ${STATS_PATH} succeeds again`);
          loggedError = null;
        }
        const now = new Date();
        const sample = sampleStats(stats, now.getTime());
        setState((previous) => ({
          stats,
          error: null,
          lastUpdate: now,
          samples: sample === null ? previous.samples : appendSample(previous.samples, sample),
        }));
      } catch (error) {
        if (disposed) return;
        const message = describeError(error);
        // Log each new failure once instead of every poll interval.
        if (message !== loggedError) {
          console.error(`stats: ${message}; retrying every ${intervalMs} ms`);
          loggedError = message;
        }
        setState((previous) => ({ ...previous, error: message }));
      } finally {
        window.clearTimeout(timeoutTimer);
        if (!disposed) {
          pollTimer = window.setTimeout(() => void poll(), intervalMs);
        }
      }
    };

    void poll();

    return () => {
      disposed = true;
      window.clearTimeout(pollTimer);
      controller?.abort();
    };
  }, [intervalMs]);

  return state;
}
