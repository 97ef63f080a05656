import { parseCounter, parseNumberWhere, parseOptionalNumber, parseOptionalString } from './fields';
import { type ParseResult, describeValue, fieldError, isFiniteNumber, isRecord } from './guards';

/** Records written to one topic. */
export interface TopicStats {
  records: number;
  /** Records per second over the server's last few seconds; null when absent. */
  per_second: number | null;
}

/** One recent record of `dirty-data`, as listed in `dirty_examples`. */
export interface DirtyExample {
  reason: string;
  message: string;
  /** Input file and line, such as `safecast-dump-corrupt.csv:2`; null when absent. */
  source: string | null;
  /** Capture time as sent; null when absent. */
  timestamp: string | null;
}

/**
 * Pipeline counters returned by `GET /api/stats`. The five totals are
 * required. Every other field is null when the server omits it, because
 * older servers do not send them.
 */
export interface Stats {
  input: number;
  processed: number;
  critical: number;
  dirty: number;
  duplicates: number;
  /** Dirty records per rejection reason; empty when the server sends none. */
  dirty_by_reason: Record<string, number>;
  uptime_seconds: number | null;
  /** Records and rates per topic name, in the server's order. */
  topics: Record<string, TopicStats> | null;
  /** Records in the input topic not yet processed. */
  consumer_lag: number | null;
  /**
   * Event-time watermark as an ISO-8601 time. Undefined when the server
   * does not report one, null when it reports that there is none yet.
   */
  watermark: string | null | undefined;
  /** Readings that arrived after the watermark had passed their capture time. */
  late: number | null;
  /** Keys held by the deduplication state. */
  dedup_entries: number | null;
  /** The latest dirty records, newest first. */
  dirty_examples: DirtyExample[] | null;
  /** Event-time speed of the ingest stage: 0 is as fast as possible, 1 is real time. */
  playback_speed: number | null;
  websocket_clients: number | null;
  /** Map clients the server disconnected because they read too slowly. */
  websocket_slow_disconnects: number | null;
  /** Readings the server has passed to the map. */
  map_readings: number | null;
}

function parseOptionalCounter(body: Record<string, unknown>, field: string): ParseResult<number | null> {
  if (body[field] === undefined || body[field] === null) {
    return { ok: true, value: null };
  }
  return parseCounter(body, field);
}

function parseDirtyByReason(input: unknown): ParseResult<Record<string, number>> {
  const dirtyByReason: Record<string, number> = {};
  if (input === undefined || input === null) {
    return { ok: true, value: dirtyByReason };
  }
  if (!isRecord(input)) {
    return { ok: false, error: fieldError('dirty_by_reason', 'an object', input) };
  }
  for (const [reason, count] of Object.entries(input)) {
    if (!isFiniteNumber(count) || count < 0) {
      return {
        ok: false,
        error: fieldError(`dirty_by_reason.${reason}`, 'a number of at least 0', count),
      };
    }
    dirtyByReason[reason] = count;
  }
  return { ok: true, value: dirtyByReason };
}

function parseTopics(input: unknown): ParseResult<Record<string, TopicStats> | null> {
  if (input === undefined || input === null) {
    return { ok: true, value: null };
  }
  if (!isRecord(input)) {
    return { ok: false, error: fieldError('topics', 'an object', input) };
  }

  const topics: Record<string, TopicStats> = {};
  for (const [name, entry] of Object.entries(input)) {
    if (!isRecord(entry)) {
      return { ok: false, error: fieldError(`topics.${name}`, 'an object', entry) };
    }
    const records = parseCounter(entry, 'records');
    if (!records.ok) {
      return { ok: false, error: `topic "${name}": ${records.error}` };
    }
    const perSecond = parseOptionalNumber(entry, 'per_second');
    if (!perSecond.ok || (perSecond.value !== null && perSecond.value < 0)) {
      return {
        ok: false,
        error: fieldError(`topics.${name}.per_second`, 'a number of at least 0', entry.per_second),
      };
    }
    topics[name] = { records: records.value, per_second: perSecond.value };
  }
  return { ok: true, value: topics };
}

function parseDirtyExamples(input: unknown): ParseResult<DirtyExample[] | null> {
  if (input === undefined || input === null) {
    return { ok: true, value: null };
  }
  if (!Array.isArray(input)) {
    return { ok: false, error: fieldError('dirty_examples', 'an array', input) };
  }

  const examples: DirtyExample[] = [];
  for (const [index, entry] of input.entries()) {
    const field = `dirty_examples[${index}]`;
    if (!isRecord(entry)) {
      return { ok: false, error: fieldError(field, 'an object', entry) };
    }
    const { reason, message } = entry;
    if (typeof reason !== 'string') {
      return { ok: false, error: fieldError(`${field}.reason`, 'a string', reason) };
    }
    if (typeof message !== 'string') {
      return { ok: false, error: fieldError(`${field}.message`, 'a string', message) };
    }
    const source = parseOptionalString(entry, 'source');
    if (!source.ok) return { ok: false, error: `${field}: ${source.error}` };
    const timestamp = parseOptionalString(entry, 'timestamp');
    if (!timestamp.ok) return { ok: false, error: `${field}: ${timestamp.error}` };
    examples.push({ reason, message, source: source.value, timestamp: timestamp.value });
  }
  return { ok: true, value: examples };
}

function parseWatermark(input: unknown): ParseResult<string | null | undefined> {
  if (input === undefined || input === null) {
    return { ok: true, value: input };
  }
  if (typeof input !== 'string' || Number.isNaN(Date.parse(input))) {
    return { ok: false, error: fieldError('watermark', 'an ISO-8601 time or null', input) };
  }
  return { ok: true, value: input };
}

/** Optional fields that, when present, must be numbers of at least 0. */
const OPTIONAL_COUNTERS = [
  'consumer_lag',
  'late',
  'dedup_entries',
  'websocket_clients',
  'websocket_slow_disconnects',
  'map_readings',
] as const;

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
  const dirtyByReason = parseDirtyByReason(body.dirty_by_reason);
  if (!dirtyByReason.ok) return dirtyByReason;

  const topics = parseTopics(body.topics);
  if (!topics.ok) return topics;
  const watermark = parseWatermark(body.watermark);
  if (!watermark.ok) return watermark;
  const dirtyExamples = parseDirtyExamples(body.dirty_examples);
  if (!dirtyExamples.ok) return dirtyExamples;

  const counters: Record<string, number | null> = {};
  for (const field of OPTIONAL_COUNTERS) {
    const counter = parseOptionalCounter(body, field);
    if (!counter.ok) return counter;
    counters[field] = counter.value;
  }
  const playbackSpeed =
    body.playback_speed === undefined || body.playback_speed === null
      ? { ok: true as const, value: null }
      : parseNumberWhere(body, 'playback_speed', 'a number of at least 0', (value) => value >= 0);
  if (!playbackSpeed.ok) return playbackSpeed;

  return {
    ok: true,
    value: {
      input: input.value,
      processed: processed.value,
      critical: critical.value,
      dirty: dirty.value,
      duplicates: duplicates.value,
      dirty_by_reason: dirtyByReason.value,
      uptime_seconds: uptime.value,
      topics: topics.value,
      consumer_lag: counters.consumer_lag ?? null,
      watermark: watermark.value,
      late: counters.late ?? null,
      dedup_entries: counters.dedup_entries ?? null,
      dirty_examples: dirtyExamples.value,
      playback_speed: playbackSpeed.value,
      websocket_clients: counters.websocket_clients ?? null,
      websocket_slow_disconnects: counters.websocket_slow_disconnects ?? null,
      map_readings: counters.map_readings ?? null,
    },
  };
}
