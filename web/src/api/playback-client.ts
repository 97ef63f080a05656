import { PLAYBACK_PATH } from './endpoints';
import { type ParseResult, describeValue, fieldError, isFiniteNumber, isRecord } from './guards';

/**
 * Validates a `/api/playback` success body, `{"speed": 60}`. A speed of 0
 * means as fast as possible and 1 means real time.
 */
export function parsePlaybackBody(body: unknown): ParseResult<number> {
  if (!isRecord(body)) {
    return { ok: false, error: `expected a JSON object, got ${describeValue(body)}` };
  }
  const speed = body.speed;
  if (!isFiniteNumber(speed) || speed < 0) {
    return { ok: false, error: fieldError('speed', 'a number of at least 0', speed) };
  }
  return { ok: true, value: speed };
}

/** Returns the `error` text of an error body, or null when it has none. */
export function readErrorText(body: unknown): string | null {
  return isRecord(body) && typeof body.error === 'string' && body.error !== '' ? body.error : null;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function requestPlayback(init: RequestInit, signal: AbortSignal): Promise<number> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(PLAYBACK_PATH, {
      ...init,
      signal,
      cache: 'no-store',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${method} ${PLAYBACK_PATH} failed: ${reason}; check that the radstream server is running`);
  }

  const body = await readJson(response);
  if (!response.ok) {
    // 409 comes from `radstream serve`, which runs no ingest stage.
    const detail = readErrorText(body) ?? `HTTP ${response.status}`;
    throw new Error(`${method} ${PLAYBACK_PATH} failed with HTTP ${response.status}: ${detail}`);
  }
  const speed = parsePlaybackBody(body);
  if (!speed.ok) {
    throw new Error(`${method} ${PLAYBACK_PATH} returned an invalid body: ${speed.error}`);
  }
  return speed.value;
}

/** Requests the current playback speed of the ingest stage. */
export function fetchPlaybackSpeed(signal: AbortSignal): Promise<number> {
  return requestPlayback({ method: 'GET' }, signal);
}

/**
 * Sets the playback speed and returns the speed the server applied. Rejects
 * with the server's error text on HTTP 400 (invalid speed) and 409 (no
 * ingest stage in this process).
 */
export function postPlaybackSpeed(speed: number, signal: AbortSignal): Promise<number> {
  return requestPlayback({ method: 'POST', body: JSON.stringify({ speed }) }, signal);
}
