/** Outcome of turning untrusted input into a typed value. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_ECHOED_CHARS = 80;

export function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

export function isFiniteNumber(input: unknown): input is number {
  return typeof input === 'number' && Number.isFinite(input);
}

/**
 * Formats an offending input for an error message: `missing` for undefined,
 * otherwise its JSON text cut to 80 characters.
 */
export function describeValue(input: unknown): string {
  if (input === undefined) {
    return 'missing';
  }

  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return text.length > MAX_ECHOED_CHARS ? `${text.slice(0, MAX_ECHOED_CHARS)}…` : text;
}

export function fieldError(field: string, expected: string, actual: unknown): string {
  return `field "${field}": expected ${expected}, got ${describeValue(actual)}`;
}
