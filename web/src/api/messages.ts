import {
  parseBoolean,
  parseNumber,
  parseNumberInRange,
  parseOneOf,
  parseOptionalBoolean,
  parseOptionalNumber,
  parseOptionalString,
  parseString,
  parseTimestamp,
} from './fields';
import { type ParseResult, describeValue, fieldError, isFiniteNumber, isRecord } from './guards';

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
  /** Input record as `topic/partition@offset`; null when absent. */
  origin: string | null;
  /** Deduplication key computed by the pipeline. */
  key: string;
  /**
   * True when the record arrived after the event-time watermark had passed
   * its capture time. Older servers omit the field, which reads as false.
   */
  late: boolean;
  /** `timestamp` in milliseconds since the Unix epoch, computed while parsing. */
  eventTimeMs: number;
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
  /** The recent readings that the server sends first on every connection. */
  | { type: 'history'; readings: Reading[]; rejected: RejectedRecord[]; thinned: number }
  /**
   * A batch of new readings. `thinned` counts readings the server left out
   * of this batch (or history) because they arrived faster than a browser
   * can draw.
   */
  | { type: 'readings'; readings: Reading[]; rejected: RejectedRecord[]; thinned: number }
  /** A frame whose `type` this version of the map does not handle. */
  | { type: 'ignored'; messageType: string };

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
  const origin = parseOptionalString(input, 'origin');
  if (!origin.ok) return origin;
  const key = parseString(input, 'key');
  if (!key.ok) return key;
  const late = parseOptionalBoolean(input, 'late');
  if (!late.ok) return late;

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
      origin: origin.value,
      key: key.value,
      late: late.value,
      eventTimeMs: Date.parse(timestamp.value),
    },
  };
}

function parseBatch(records: readonly unknown[]): { readings: Reading[]; rejected: RejectedRecord[] } {
  const readings: Reading[] = [];
  const rejected: RejectedRecord[] = [];
  records.forEach((record: unknown, index: number) => {
    const result = parseReading(record);
    if (result.ok) {
      readings.push(result.value);
    } else {
      const source = isRecord(record) && typeof record.source === 'string' ? record.source : null;
      rejected.push({ index, source, error: result.error });
    }
  });
  return { readings, rejected };
}

/**
 * Parses one WebSocket frame. A `history` or `readings` frame keeps its
 * valid records and lists the rejected ones, so one bad record does not drop
 * the whole frame. Frames of another `type` come back as `ignored`.
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
  const type = message.type;
  if (typeof type !== 'string') {
    return { ok: false, error: fieldError('type', 'a string', type) };
  }
  if (type !== 'readings' && type !== 'history') {
    return { ok: true, value: { type: 'ignored', messageType: type } };
  }
  if (!Array.isArray(message.readings)) {
    return { ok: false, error: fieldError('readings', 'an array', message.readings) };
  }

  const thinned = message.thinned ?? 0;
  if (!isFiniteNumber(thinned) || thinned < 0 || !Number.isInteger(thinned)) {
    return { ok: false, error: fieldError('thinned', 'an integer of at least 0', message.thinned) };
  }
  return { ok: true, value: { type, ...parseBatch(message.readings), thinned } };
}
