import { describe, expect, it } from 'vitest';

import { RECONNECT_MAX_DELAY_MS, reconnectDelayMs } from './backoff';

const noJitter = () => 0;
const maxJitter = () => 0.999_999;

describe('reconnectDelayMs', () => {
  it('doubles from 500 ms per attempt', () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => reconnectDelayMs(attempt, noJitter));

    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });

  it('stops growing at 10 s', () => {
    expect(reconnectDelayMs(5, noJitter)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(60, noJitter)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(5_000, noJitter)).toBe(RECONNECT_MAX_DELAY_MS);
  });

  it('removes at most 20 % as jitter', () => {
    expect(reconnectDelayMs(0, maxJitter)).toBe(400);
    expect(reconnectDelayMs(10, maxJitter)).toBe(8_000);
  });
});
