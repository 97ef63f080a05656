import { describe, expect, it } from 'vitest';

import { makeLiveReading, makeReading } from '../api/test-fixtures';
import {
  MAX_HELD_READINGS,
  applyHistoryLimit,
  dropKnownReadings,
  newestEventTime,
  validateHistoryLimit,
} from './reading-history';

const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2012, 2, 29, 7, 0, 0);

/** Readings one per minute of capture time from START_MS, in arrival order. */
function readingsByMinute(minutes: readonly number[]) {
  return minutes.map((minute, index) =>
    makeLiveReading(index + 1, {
      timestamp: new Date(START_MS + minute * MINUTE_MS).toISOString(),
    }),
  );
}

describe('applyHistoryLimit by count', () => {
  it('keeps the newest readings by arrival', () => {
    const readings = [1, 2, 3, 4, 5].map((seq) => makeLiveReading(seq));

    const kept = applyHistoryLimit(readings, { mode: 'readings', count: 3 }, null);

    expect(kept.map((reading) => reading.seq)).toEqual([3, 4, 5]);
  });

  it('returns the same array below the limit', () => {
    const readings = [makeLiveReading(1), makeLiveReading(2)];

    expect(applyHistoryLimit(readings, { mode: 'readings', count: 3 }, null)).toBe(readings);
  });

  it('holds 50,000 readings of 60,000', () => {
    const readings = Array.from({ length: 60_000 }, (_, index) => makeLiveReading(index + 1));

    const kept = applyHistoryLimit(readings, { mode: 'readings', count: 50_000 }, null);

    expect(kept).toHaveLength(50_000);
    expect(kept[0]?.seq).toBe(10_001);
    expect(kept[kept.length - 1]?.seq).toBe(60_000);
  });
});

describe('applyHistoryLimit by minutes', () => {
  it('keeps readings captured within the minutes before the newest', () => {
    const readings = readingsByMinute([0, 5, 10, 15, 20]);
    const newest = newestEventTime(readings);

    const kept = applyHistoryLimit(readings, { mode: 'minutes', minutes: 10 }, newest);

    expect(kept.map((reading) => reading.seq)).toEqual([3, 4, 5]);
  });

  it('drops a late reading older than the window wherever it arrived', () => {
    const readings = readingsByMinute([10, 20, 2, 25]);

    const kept = applyHistoryLimit(readings, { mode: 'minutes', minutes: 10 }, newestEventTime(readings));

    expect(kept.map((reading) => reading.seq)).toEqual([2, 4]);
  });

  it('measures from the newest time seen, even when that reading was dropped', () => {
    const readings = readingsByMinute([0, 1, 2]);
    const newest = START_MS + 11 * MINUTE_MS;

    const kept = applyHistoryLimit(readings, { mode: 'minutes', minutes: 10 }, newest);

    expect(kept.map((reading) => reading.seq)).toEqual([2, 3]);
  });

  it('keeps everything before the first reading', () => {
    const readings = readingsByMinute([0, 60]);

    expect(applyHistoryLimit(readings, { mode: 'minutes', minutes: 5 }, null)).toBe(readings);
  });

  it('still caps the held readings', () => {
    const readings = Array.from({ length: MAX_HELD_READINGS + 10 }, (_, index) =>
      makeLiveReading(index + 1),
    );

    const kept = applyHistoryLimit(readings, { mode: 'minutes', minutes: 60 }, newestEventTime(readings));

    expect(kept).toHaveLength(MAX_HELD_READINGS);
    expect(kept[0]?.seq).toBe(11);
  });
});

describe('newestEventTime', () => {
  it('returns the latest capture time in any order', () => {
    const readings = readingsByMinute([4, 9, 1]);

    expect(newestEventTime(readings)).toBe(START_MS + 9 * MINUTE_MS);
  });

  it('keeps a later start time', () => {
    const readings = readingsByMinute([1]);

    expect(newestEventTime(readings, START_MS + 30 * MINUTE_MS)).toBe(START_MS + 30 * MINUTE_MS);
  });

  it('returns null for no readings', () => {
    expect(newestEventTime([])).toBeNull();
  });
});

describe('dropKnownReadings', () => {
  it('drops history readings whose key is held', () => {
    const held = [makeReading({ key: 'a' }), makeReading({ key: 'b' })];
    const history = [makeReading({ key: 'b' }), makeReading({ key: 'c' })];

    expect(dropKnownReadings(held, history).map((reading) => reading.key)).toEqual(['c']);
  });

  it('keeps the whole history when nothing is held', () => {
    const history = [makeReading({ key: 'a' })];

    expect(dropKnownReadings([], history)).toEqual(history);
  });
});

describe('validateHistoryLimit', () => {
  it('accepts the default of 50,000 readings', () => {
    expect(validateHistoryLimit({ mode: 'readings', count: 50_000 })).toBeNull();
  });

  it.each([0, -3, 2.5, Number.NaN, MAX_HELD_READINGS + 1])('rejects the count %d', (count) => {
    expect(validateHistoryLimit({ mode: 'readings', count })).toContain('whole number of readings');
  });

  it('accepts a fraction of a minute', () => {
    expect(validateHistoryLimit({ mode: 'minutes', minutes: 0.5 })).toBeNull();
  });

  it.each([0, -1, Number.NaN])('rejects %d minutes', (minutes) => {
    expect(validateHistoryLimit({ mode: 'minutes', minutes })).toBe('Enter a number of minutes above 0.');
  });
});
