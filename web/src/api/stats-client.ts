import { STATS_PATH } from './endpoints';
import { type Stats, parseStats } from './stats';

/**
 * Requests the pipeline counters from the page's own origin. Rejects with an
 * Error that names the endpoint when the request fails, the status is not
 * 2xx or the body is not a valid stats object.
 */
export async function fetchStats(signal: AbortSignal): Promise<Stats> {
  let response: Response;
  try {
    response = await fetch(STATS_PATH, {
      signal,
      headers: { Accept: 'application/json' },
      cache: 'no-store',
    });
  } catch (error) {
    // An aborted request rejects with the abort reason that the caller chose.
    if (signal.aborted) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`GET ${STATS_PATH} failed: ${reason}; check that the radstream server is running`);
  }
  if (!response.ok) {
    throw new Error(`GET ${STATS_PATH} failed with HTTP ${response.status}`);
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`GET ${STATS_PATH} returned invalid JSON: ${reason}`);
  }

  const stats = parseStats(body);
  if (!stats.ok) {
    throw new Error(`GET ${STATS_PATH} returned an invalid body: ${stats.error}`);
  }
  return stats.value;
}
