import { type ParseResult, fieldError, isFiniteNumber, isRecord, describeValue } from './guards';

/** Radiation level that radstream assigns to each reading. */
export type Level = 'low' | 'moderate' | 'high';

export const LEVELS: readonly Level[] = ['low', 'moderate', 'high'];

export type ReadingStatus = 'processed' | 'critical';

const STATUSES: readonly ReadingStatus[] = ['processed', 'critical'];

/**
 * One output record of the pipeline as sent on the live feed. Field names
 * keep the spelling of the server's JSON.
 */
export interface Reading {
  status: ReadingStatus;
  /** Capture time as sent: ISO-8601 in UTC. */
  timestamp: string;
  /** Latitude in degrees, within [-90, 90]. */
  lat: number;
  /** Longitude in degrees, within [-180, 180]. */
  lon: number;
  /** Measured value in `unit`. */
  value: number;
  unit: string;
  level: Level;
  critical: boolean;
  /** Counts per minute. */
  cpm: number;
  /** Dose rate in microsievert per hour. */
  dose_usvh: number;
  device_id: string | null;
  location_name: string | null;
  /** Sensor height from the source data; the feed does not state its unit. */
  height: number | null;
  /**
   * Input file and line the record came from, such as `102-0329.LOG:3`.
   * Null when absent, because radstream writes it as an optional field.
   */
  source: string | null;
  /** Deduplication key computed by the pipeline. */
  key: string;
}

/** A record of a batch that failed validation and was dropped. */
export interface RejectedRecord {
  /** Position of the record in the batch, from 0. */
  index: number;
  /** The record's `source` field when it is a string, for locating it in the input. */
  source: string | null;
  error: string;
}

/** A live feed frame after validation. */
export type FeedMessage =
  | { type: 'readings'; readings: Reading[]; rejected: RejectedRecord[] }
  /** A frame whose `type` this version of the map does not handle. */
  | { type: 'ignored'; messageType: string };

/** Pipeline counters returned by `GET /api/stats`. */
export interface Stats {
  input: number;
  processed: number;
  critical: number;
  dirty: number;
  duplicates: number;
  /** Dirty records per rejection reason; empty when the server sends none. */
  dirty_by_reason: Record<string, number>;
  /** Null when the server omits it. */
  uptime_seconds: number | null;
}

function parseOneOf<T extends string>(
  record: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
): ParseResult<T> {
  const input = record[field];
  const match = allowed.find((candidate) => candidate === input);
  if (match === undefined) {
    return { ok: false, error: fieldError(field, `one of ${allowed.join(', ')}`, input) };
  }
  return { ok: true, value: match };
}

function parseNumberWhere(
  record: Record<string, unknown>,
  field: string,
  expected: string,
  accepts: (value: number) => boolean,
): ParseResult<number> {
  const input = record[field];
  if (!isFiniteNumber(input) || !accepts(input)) {
    return { ok: false, error: fieldError(field, expected, input) };
  }
  return { ok: true, value: input };
}

function parseNumberInRange(
  record: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): ParseResult<number> {
  return parseNumberWhere(record, field, `a number in [${min}, ${max}]`, (value) => {
    return value >= min && value <= max;
  });
}

function parseNumber(record: Record<string, unknown>, field: string): ParseResult<number> {
  return parseNumberWhere(record, field, 'a finite number', () => true);
}

function parseString(record: Record<string, unknown>, field: string): ParseResult<string> {
  const input = record[field];
  if (typeof input !== 'string' || input.length === 0) {
    return { ok: false, error: fieldError(field, 'a non-empty string', input) };
  }
  return { ok: true, value: input };
}

function parseOptionalString(
  record: Record<string, unknown>,
  field: string,
): ParseResult<string | null> {
  const input = record[field];
  if (input === undefined || input === null) {
    return { ok: true, value: null };
  }
  if (typeof input !== 'string') {
    return { ok: false, error: fieldError(field, 'a string, null or no value', input) };
  }
  return { ok: true, value: input };
}

function parseOptionalNumber(
  record: Record<string, unknown>,
  field: string,
): ParseResult<number | null> {
  const input = record[field];
  if (input === undefined || input === null) {
    return { ok: true, value: null };
  }
  if (!isFiniteNumber(input)) {
    return { ok: false, error: fieldError(field, 'a number, null or no value', input) };
  }
  return { ok: true, value: input };
}

// Date and time with seconds and a zone, such as 2012-03-29T07:10:34Z.
const ISO_8601_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseTimestamp(record: Record<string, unknown>, field: string): ParseResult<string> {
  const input = record[field];
  const valid =
    typeof input === 'string' && ISO_8601_PATTERN.test(input) && !Number.isNaN(Date.parse(input));
  if (!valid) {
    return { ok: false, error: fieldError(field, 'an ISO-8601 time', input) };
  }
  return { ok: true, value: input };
}

function parseBoolean(record: Record<string, unknown>, field: string): ParseResult<boolean> {
  const input = record[field];
  if (typeof input !== 'boolean') {
    return { ok: false, error: fieldError(field, 'true or false', input) };
  }
  return { ok: true, value: input };
}

/**
 * Validates one output record. Numbers must be JSON numbers, so strings such
 * as "NaN" or "37.6" are rejected rather than coerced.
 */
export function parseReading(input: unknown): ParseResult<Reading> {
  if (!isRecord(input)) {
    return { ok: false, error: `expected a JSON object, got ${describeValue(input)}` };
  }

  const status = parseOneOf(input, 'status', STATUSES);
  if (!status.ok) return status;
  const timestamp = parseTimestamp(input, 'timestamp');
  if (!timestamp.ok) return timestamp;
  const lat = parseNumberInRange(input, 'lat', -90, 90);
  if (!lat.ok) return lat;
  const lon = parseNumberInRange(input, 'lon', -180, 180);
  if (!lon.ok) return lon;
  const value = parseNumber(input, 'value');
  if (!value.ok) return value;
  const unit = parseString(input, 'unit');
  if (!unit.ok) return unit;
  const level = parseOneOf(input, 'level', LEVELS);
  if (!level.ok) return level;
  const critical = parseBoolean(input, 'critical');
  if (!critical.ok) return critical;
  const cpm = parseNumber(input, 'cpm');
  if (!cpm.ok) return cpm;
  const doseUsvh = parseNumber(input, 'dose_usvh');
  if (!doseUsvh.ok) return doseUsvh;
  const deviceId = parseOptionalString(input, 'device_id');
  if (!deviceId.ok) return deviceId;
  const locationName = parseOptionalString(input, 'location_name');
  if (!locationName.ok) return locationName;
  const height = parseOptionalNumber(input, 'height');
  if (!height.ok) return height;
  const source = parseOptionalString(input, 'source');
  if (!source.ok) return source;
  const key = parseString(input, 'key');
  if (!key.ok) return key;

  return {
    ok: true,
    value: {
      status: status.value,
      timestamp: timestamp.value,
      lat: lat.value,
      lon: lon.value,
      value: value.value,
      unit: unit.value,
      level: level.value,
      critical: critical.value,
      cpm: cpm.value,
      dose_usvh: doseUsvh.value,
      device_id: deviceId.value,
      location_name: locationName.value,
      height: height.value,
      source: source.value,
      key: key.value,
    },
  };
}

/**
 * Parses one WebSocket frame. A `readings` batch keeps its valid records and
 * lists the rejected ones, so one bad record does not drop the whole batch.
 * Frames of another `type` come back as `ignored`.
 */
export function parseFeedMessage(frame: unknown): ParseResult<FeedMessage> {
  if (typeof frame !== 'string') {
    return { ok: false, error: 'expected a text frame, got binary data' };
  }

  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `invalid JSON (${reason}) in frame ${describeValue(frame)}` };
  }

  if (!isRecord(message)) {
    return { ok: false, error: `expected a JSON object, got ${describeValue(message)}` };
  }
  if (typeof message.type !== 'string') {
    return { ok: false, error: fieldError('type', 'a string', message.type) };
  }
  if (message.type !== 'readings') {
    return { ok: true, value: { type: 'ignored', messageType: message.type } };
  }
  if (!Array.isArray(message.readings)) {
    return { ok: false, error: fieldError('readings', 'an array', message.readings) };
  }

  const readings: Reading[] = [];
  const rejected: RejectedRecord[] = [];
  message.readings.forEach((record: unknown, index: number) => {
    const result = parseReading(record);
    if (result.ok) {
      readings.push(result.value);
    } else {
      const source = isRecord(record) && typeof record.source === 'string' ? record.source : null;
      rejected.push({ index, source, error: result.error });
    }
  });
  return { ok: true, value: { type: 'readings', readings, rejected } };
}

function parseCounter(record: Record<string, unknown>, field: string): ParseResult<number> {
  return parseNumberWhere(record, field, 'a number of at least 0', (value) => value >= 0);
}

/** Validates a `GET /api/stats` body. Fields this version does not use are ignored. */
export function parseStats(body: unknown): ParseResult<Stats> {
  if (!isRecord(body)) {
    return { ok: false, error: `expected a JSON object, got ${describeValue(body)}` };
  }

  const input = parseCounter(body, 'input');
  if (!input.ok) return input;
  const processed = parseCounter(body, 'processed');
  if (!processed.ok) return processed;
  const critical = parseCounter(body, 'critical');
  if (!critical.ok) return critical;
  const dirty = parseCounter(body, 'dirty');
  if (!dirty.ok) return dirty;
  const duplicates = parseCounter(body, 'duplicates');
  if (!duplicates.ok) return duplicates;
  const uptime = parseOptionalNumber(body, 'uptime_seconds');
  if (!uptime.ok) return uptime;

  const dirtyByReason: Record<string, number> = {};
  const reasons = body.dirty_by_reason;
  if (reasons !== undefined && reasons !== null) {
    if (!isRecord(reasons)) {
      return { ok: false, error: fieldError('dirty_by_reason', 'an object', reasons) };
    }
    for (const [reason, count] of Object.entries(reasons)) {
      if (!isFiniteNumber(count) || count < 0) {
        return {
          ok: false,
          error: fieldError(`dirty_by_reason.${reason}`, 'a number of at least 0', count),
        };
      }
      dirtyByReason[reason] = count;
    }
  }

  return {
    ok: true,
    value: {
      input: input.value,
      processed: processed.value,
      critical: critical.value,
      dirty: dirty.value,
      duplicates: duplicates.value,
      dirty_by_reason: dirtyByReason,
      uptime_seconds: uptime.value,
    },
  };
}
