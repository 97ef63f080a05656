/** Delay before the first reconnect attempt. */
export const RECONNECT_BASE_DELAY_MS = 500;

/** Upper bound of the reconnect delay. */
export const RECONNECT_MAX_DELAY_MS = 10_000;

/**
 * Share of each delay removed at random, so that many open pages do not all
 * reconnect in the same instant after a server restart.
 */
export const RECONNECT_JITTER = 0.2;

/**
 * Returns the wait in milliseconds before reconnect attempt `attempt`
 * (0 for the first): 500 ms doubled per attempt, capped at 10 s, minus up to
 * 20 % jitter. `random` must return a number in [0, 1).
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * 2 ** attempt);
  return Math.round(exponential * (1 - RECONNECT_JITTER * random()));
}
