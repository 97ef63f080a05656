import { describe, expect, it } from 'vitest';

import { type Stats, parseStats } from './stats';

/** The fields an older server sends, before topics, lag and the watermark. */
const OLD_BODY = {
  input: 1200,
  processed: 1100,
  critical: 3,
  dirty: 80,
  duplicates: 20,
  dirty_by_reason: { missing_lat: 50, bad_unit: 30 },
  uptime_seconds: 42.5,
};

const ABSENT_NEW_FIELDS = {
  topics: null,
  consumer_lag: null,
  watermark: undefined,
  late: null,
  dedup_entries: null,
  dirty_examples: null,
  playback_speed: null,
  websocket_clients: null,
  websocket_slow_disconnects: null,
  map_readings: null,
} satisfies Partial<Stats>;

const NEW_FIELDS = {
  topics: {
    'radiation-data': { records: 51630, per_second: 812.5 },
    'processed-data-output': { records: 26398, per_second: 402 },
    'critical-data': { records: 2, per_second: 0 },
    'dirty-data': { records: 8052, per_second: 120.25 },
  },
  consumer_lag: 340,
  watermark: '2012-03-29T07:10:34Z',
  late: 4,
  dedup_entries: 7898,
  dirty_examples: [
    {
      reason: 'latitude_invalid',
      message: 'latitude "91.5" is not a number in [-90, 90]',
      source: 'readings.csv:8',
      timestamp: '2013-02-02T18:42:54Z',
    },
  ],
  playback_speed: 60,
  websocket_clients: 2,
  websocket_slow_disconnects: 1,
  map_readings: 26400,
};

describe('parseStats', () => {
  it('accepts an older body and marks the new fields absent', () => {
    const result = parseStats(OLD_BODY);

    expect(result).toEqual({ ok: true, value: { ...OLD_BODY, ...ABSENT_NEW_FIELDS } });
  });

  it('ignores fields it does not use', () => {
    const result = parseStats({ ...OLD_BODY, kafka_lag: 7, version: '0.1.0' });

    expect(result).toEqual({ ok: true, value: { ...OLD_BODY, ...ABSENT_NEW_FIELDS } });
  });

  it('reads every new field', () => {
    const result = parseStats({ ...OLD_BODY, ...NEW_FIELDS });

    expect(result).toEqual({ ok: true, value: { ...OLD_BODY, ...NEW_FIELDS } });
  });

  it('keeps the order of the topics', () => {
    const result = parseStats({ ...OLD_BODY, ...NEW_FIELDS });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value.topics ?? {})).toEqual([
      'radiation-data',
      'processed-data-output',
      'critical-data',
      'dirty-data',
    ]);
  });

  it('tells a null watermark from an absent one', () => {
    const result = parseStats({ ...OLD_BODY, watermark: null });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.watermark).toBeNull();
  });

  it('reads a topic without a rate as a null rate', () => {
    const result = parseStats({ ...OLD_BODY, topics: { 'dirty-data': { records: 3 } } });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.topics).toEqual({ 'dirty-data': { records: 3, per_second: null } });
  });

  it('reads an example without source and time', () => {
    const result = parseStats({ ...OLD_BODY, dirty_examples: [{ reason: 'unparseable', message: 'bad row' }] });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.dirty_examples).toEqual([
      { reason: 'unparseable', message: 'bad row', source: null, timestamp: null },
    ]);
  });

  it('fills absent dirty reasons and uptime', () => {
    const { dirty_by_reason: _reasons, uptime_seconds: _uptime, ...counters } = OLD_BODY;

    const result = parseStats(counters);

    expect(result).toEqual({
      ok: true,
      value: { ...counters, dirty_by_reason: {}, uptime_seconds: null, ...ABSENT_NEW_FIELDS },
    });
  });

  it('rejects a missing counter', () => {
    const { duplicates: _duplicates, ...rest } = OLD_BODY;

    const result = parseStats(rest);

    expect(result).toEqual({
      ok: false,
      error: 'field "duplicates": expected a number of at least 0, got missing',
    });
  });

  it('rejects a negative counter', () => {
    const result = parseStats({ ...OLD_BODY, dirty: -1 });

    expect(result).toEqual({ ok: false, error: 'field "dirty": expected a number of at least 0, got -1' });
  });

  it('rejects a reason count given as a string', () => {
    const result = parseStats({ ...OLD_BODY, dirty_by_reason: { bad_unit: '3' } });

    expect(result).toEqual({
      ok: false,
      error: 'field "dirty_by_reason.bad_unit": expected a number of at least 0, got "3"',
    });
  });

  it('rejects a negative consumer lag', () => {
    const result = parseStats({ ...OLD_BODY, consumer_lag: -5 });

    expect(result).toEqual({ ok: false, error: 'field "consumer_lag": expected a number of at least 0, got -5' });
  });

  it('rejects a topic without records', () => {
    const result = parseStats({ ...OLD_BODY, topics: { 'dirty-data': { per_second: 2 } } });

    expect(result).toEqual({
      ok: false,
      error: 'topic "dirty-data": field "records": expected a number of at least 0, got missing',
    });
  });

  it('rejects a watermark that is not a time', () => {
    const result = parseStats({ ...OLD_BODY, watermark: 'soon' });

    expect(result).toEqual({ ok: false, error: 'field "watermark": expected an ISO-8601 time or null, got "soon"' });
  });

  it('rejects an example without a message', () => {
    const result = parseStats({ ...OLD_BODY, dirty_examples: [{ reason: 'unparseable' }] });

    expect(result).toEqual({
      ok: false,
      error: 'field "dirty_examples[0].message": expected a string, got missing',
    });
  });
});
