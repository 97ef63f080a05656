import { describe, expect, it } from 'vitest';

import { parseFeedMessage, parseReading } from './messages';
import { makeReading, makeRecord } from './test-fixtures';

function frame(message: unknown): string {
  return JSON.stringify(message);
}

describe('parseFeedMessage', () => {
  it('returns the readings of a history frame', () => {
    const result = parseFeedMessage(frame({ type: 'history', readings: [makeRecord(), makeRecord({ key: 'k2' })] }));

    expect(result).toEqual({
      ok: true,
      value: { type: 'history', readings: [makeReading(), makeReading({ key: 'k2' })], rejected: [], thinned: 0 },
    });
  });

  it('accepts an empty history', () => {
    const result = parseFeedMessage(frame({ type: 'history', readings: [] }));

    expect(result).toEqual({ ok: true, value: { type: 'history', readings: [], rejected: [], thinned: 0 } });
  });

  it('returns the thinned count of a history', () => {
    const result = parseFeedMessage(frame({ type: 'history', thinned: 12, readings: [makeRecord()] }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'history') return;
    expect(result.value.thinned).toBe(12);
  });

  it('returns the thinned count of a batch', () => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: [makeRecord()], thinned: 1234 }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'readings') return;
    expect(result.value.thinned).toBe(1234);
  });

  it('reads an absent thinned count as 0', () => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: [makeRecord()] }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'readings') return;
    expect(result.value.thinned).toBe(0);
  });

  it.each([-1, 2.5, '7'])('rejects the thinned count %s', (thinned) => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: [], thinned }));

    expect(result).toEqual({
      ok: false,
      error: `field "thinned": expected an integer of at least 0, got ${JSON.stringify(thinned)}`,
    });
  });

  it('keeps the late flag of batch readings', () => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: [makeRecord({ late: true }), makeRecord()] }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'readings') return;
    expect(result.value.readings.map((reading) => reading.late)).toEqual([true, false]);
  });

  it('rejects a history frame whose readings is not an array', () => {
    const result = parseFeedMessage(frame({ type: 'history', readings: null }));

    expect(result).toEqual({ ok: false, error: 'field "readings": expected an array, got null' });
  });

  it('returns every reading of a valid batch', () => {
    const critical = makeRecord({ status: 'critical', critical: true, level: 'high', key: 'k2' });
    const result = parseFeedMessage(frame({ type: 'readings', readings: [makeRecord(), critical] }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.type).toBe('readings');
    if (result.value.type !== 'readings') return;
    expect(result.value.readings).toEqual([
      makeReading(),
      makeReading({ status: 'critical', critical: true, level: 'high', key: 'k2' }),
    ]);
    expect(result.value.rejected).toEqual([]);
  });

  it('accepts an empty batch', () => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: [] }));

    expect(result).toEqual({ ok: true, value: { type: 'readings', readings: [], rejected: [], thinned: 0 } });
  });

  it('ignores an unknown message type', () => {
    const result = parseFeedMessage(frame({ type: 'heartbeat', readings: 'not an array' }));

    expect(result).toEqual({ ok: true, value: { type: 'ignored', messageType: 'heartbeat' } });
  });

  it('rejects a record with missing lat and keeps the rest', () => {
    const { lat: _lat, ...withoutLat } = makeRecord({ source: '7-0401.LOG:12' });
    const result = parseFeedMessage(frame({ type: 'readings', readings: [makeRecord(), withoutLat] }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'readings') return;
    expect(result.value.readings).toHaveLength(1);
    expect(result.value.rejected).toEqual([
      {
        index: 1,
        source: '7-0401.LOG:12',
        error: 'field "lat": expected a number in [-90, 90], got missing',
      },
    ]);
  });

  it.each([
    ['lat', 'NaN'],
    ['lon', 'nan'],
    ['value', 'Infinity'],
    ['cpm', '-Infinity'],
    ['dose_usvh', 'NaN'],
    ['height', 'NaN'],
    ['lat', '37.6'],
  ])('rejects the string %s = "%s"', (field, text) => {
    const record = makeRecord({ [field]: text });
    const result = parseFeedMessage(frame({ type: 'readings', readings: [record] }));

    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'readings') return;
    expect(result.value.readings).toEqual([]);
    expect(result.value.rejected).toHaveLength(1);
    expect(result.value.rejected[0]?.error).toContain(`field "${field}"`);
    expect(result.value.rejected[0]?.error).toContain(`got "${text}"`);
  });

  it('rejects a frame that is not JSON', () => {
    const result = parseFeedMessage('{"type": "readings", ');

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^invalid JSON/);
  });

  it('rejects a binary frame', () => {
    const result = parseFeedMessage(new ArrayBuffer(4));

    expect(result).toEqual({ ok: false, error: 'expected a text frame, got binary data' });
  });

  it('rejects a message without a type', () => {
    const result = parseFeedMessage(frame({ readings: [] }));

    expect(result).toEqual({ ok: false, error: 'field "type": expected a string, got missing' });
  });

  it('rejects a readings message whose readings is not an array', () => {
    const result = parseFeedMessage(frame({ type: 'readings', readings: {} }));

    expect(result).toEqual({ ok: false, error: 'field "readings": expected an array, got {}' });
  });

  it('rejects a JSON array frame', () => {
    const result = parseFeedMessage('[1, 2]');

    expect(result).toEqual({ ok: false, error: 'expected a JSON object, got [1,2]' });
  });
});

describe('parseReading', () => {
  it('accepts absent and null optional fields', () => {
    const record = makeRecord({ device_id: null, height: null });
    delete record.location_name;
    delete record.source;

    const result = parseReading(record);

    expect(result).toEqual({
      ok: true,
      value: makeReading({ device_id: null, location_name: null, height: null, source: null }),
    });
  });

  it('ignores fields it does not use', () => {
    const record = makeRecord({
      ingestion_timestamp: '2024-01-01T00:00:00Z',
      group_second: '2012-03-29T07:10:34Z',
      group_size: 3,
    });

    expect(parseReading(record)).toEqual({ ok: true, value: makeReading() });
  });

  it('keeps the origin', () => {
    const result = parseReading(makeRecord({ origin: 'radiation-data/3@17' }));

    expect(result).toEqual({ ok: true, value: makeReading({ origin: 'radiation-data/3@17' }) });
  });

  it('reads late as true when set', () => {
    const result = parseReading(makeRecord({ late: true }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.late).toBe(true);
  });

  it('reads an absent late as false', () => {
    const result = parseReading(makeRecord());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.late).toBe(false);
  });

  it('rejects late given as a string', () => {
    const result = parseReading(makeRecord({ late: 'yes' }));

    expect(result).toEqual({ ok: false, error: 'field "late": expected true, false or no value, got "yes"' });
  });

  it('computes the capture time in milliseconds', () => {
    const result = parseReading(makeRecord({ timestamp: '2012-03-29T16:10:34+09:00' }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.eventTimeMs).toBe(Date.UTC(2012, 2, 29, 7, 10, 34));
  });

  it('accepts a timestamp with fractional seconds and an offset', () => {
    const result = parseReading(makeRecord({ timestamp: '2012-03-29T16:10:34.250+09:00' }));

    expect(result.ok).toBe(true);
  });

  it.each([
    ['lat', 90.5, 'a number in [-90, 90]'],
    ['lat', -91, 'a number in [-90, 90]'],
    ['lon', 180.1, 'a number in [-180, 180]'],
    ['lon', -181, 'a number in [-180, 180]'],
  ])('rejects %s = %d out of range', (field, value, expected) => {
    const result = parseReading(makeRecord({ [field]: value }));

    expect(result).toEqual({ ok: false, error: `field "${field}": expected ${expected}, got ${value}` });
  });

  it('rejects an unknown level', () => {
    const result = parseReading(makeRecord({ level: 'extreme' }));

    expect(result).toEqual({
      ok: false,
      error: 'field "level": expected one of low, moderate, high, got "extreme"',
    });
  });

  it('rejects an unknown status', () => {
    const result = parseReading(makeRecord({ status: 'dirty' }));

    expect(result).toEqual({
      ok: false,
      error: 'field "status": expected one of processed, critical, got "dirty"',
    });
  });

  it.each(['29/03/2012 07:10', '2012-03-29', 'March 29, 2012', '2012-13-45T99:99:99Z'])(
    'rejects the timestamp "%s"',
    (timestamp) => {
      const result = parseReading(makeRecord({ timestamp }));

      expect(result).toEqual({
        ok: false,
        error: `field "timestamp": expected an ISO-8601 time, got "${timestamp}"`,
      });
    },
  );

  it('rejects a critical flag given as a string', () => {
    const result = parseReading(makeRecord({ critical: 'false' }));

    expect(result).toEqual({ ok: false, error: 'field "critical": expected true or false, got "false"' });
  });

  it('rejects a numeric device id', () => {
    const result = parseReading(makeRecord({ device_id: 102 }));

    expect(result).toEqual({
      ok: false,
      error: 'field "device_id": expected a string, null or no value, got 102',
    });
  });

  it('cuts long offending values to 80 characters', () => {
    const result = parseReading(makeRecord({ source: ['y'.repeat(500)] }));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    const echoed = result.error.slice(result.error.indexOf('got ') + 'got '.length);
    expect(echoed).toBe(`["${'y'.repeat(78)}…`);
  });
});
