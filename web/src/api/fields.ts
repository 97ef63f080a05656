import { type ParseResult, fieldError, isFiniteNumber } from './guards';

// Field parsers shared by the feed and stats messages. Each reads one field
// of a JSON object and returns an error that names the field when it is invalid.

export function parseOneOf<T extends string>(
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

export function parseNumberWhere(
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

export function parseNumberInRange(
  record: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): ParseResult<number> {
  return parseNumberWhere(record, field, `a number in [${min}, ${max}]`, (value) => {
    return value >= min && value <= max;
  });
}

export function parseNumber(record: Record<string, unknown>, field: string): ParseResult<number> {
  return parseNumberWhere(record, field, 'a finite number', () => true);
}

export function parseString(record: Record<string, unknown>, field: string): ParseResult<string> {
  const input = record[field];
  if (typeof input !== 'string' || input.length === 0) {
    return { ok: false, error: fieldError(field, 'a non-empty string', input) };
  }
  return { ok: true, value: input };
}

export function parseOptionalString(
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

export function parseOptionalNumber(
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

export function parseTimestamp(record: Record<string, unknown>, field: string): ParseResult<string> {
  const input = record[field];
  const valid =
    typeof input === 'string' && ISO_8601_PATTERN.test(input) && !Number.isNaN(Date.parse(input));
  if (!valid) {
    return { ok: false, error: fieldError(field, 'an ISO-8601 time', input) };
  }
  return { ok: true, value: input };
}

export function parseBoolean(record: Record<string, unknown>, field: string): ParseResult<boolean> {
  const input = record[field];
  if (typeof input !== 'boolean') {
    return { ok: false, error: fieldError(field, 'true or false', input) };
  }
  return { ok: true, value: input };
}

export function parseCounter(record: Record<string, unknown>, field: string): ParseResult<number> {
  return parseNumberWhere(record, field, 'a number of at least 0', (value) => value >= 0);
}

/** Reads an optional boolean, where an absent or null field is `false`. */
export function parseOptionalBoolean(
  record: Record<string, unknown>,
  field: string,
): ParseResult<boolean> {
  const input = record[field];
  if (input === undefined || input === null) {
    return { ok: true, value: false };
  }
  if (typeof input !== 'boolean') {
    return { ok: false, error: fieldError(field, 'true, false or no value', input) };
  }
  return { ok: true, value: input };
}
