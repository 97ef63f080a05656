import { isFiniteNumber, isRecord } from '../api/guards';
import { DEFAULT_ALERT_THRESHOLD_CPM } from './alerts';
import { DEFAULT_HISTORY_LIMIT, type HistoryLimit, validateHistoryLimit } from './reading-history';

/** Settings kept across page loads in the browser's localStorage. */
export interface StoredSettings {
  historyLimit: HistoryLimit;
  thresholdCpm: number;
}

/** localStorage key of the settings; the value is JSON. */
export const SETTINGS_STORAGE_KEY = 'radstream.map.settings';

export const DEFAULT_SETTINGS: StoredSettings = {
  historyLimit: DEFAULT_HISTORY_LIMIT,
  thresholdCpm: DEFAULT_ALERT_THRESHOLD_CPM,
};

function readHistoryLimit(input: unknown): HistoryLimit | null {
  if (!isRecord(input)) {
    return null;
  }
  let limit: HistoryLimit | null = null;
  if (input.mode === 'readings' && isFiniteNumber(input.count)) {
    limit = { mode: 'readings', count: input.count };
  } else if (input.mode === 'minutes' && isFiniteNumber(input.minutes)) {
    limit = { mode: 'minutes', minutes: input.minutes };
  }
  return limit !== null && validateHistoryLimit(limit) === null ? limit : null;
}

/**
 * Reads settings from stored JSON text. Each setting that is absent or
 * invalid falls back to its default, so a stale or edited value never
 * breaks the page.
 */
export function parseStoredSettings(text: string | null): StoredSettings {
  if (text === null) {
    return DEFAULT_SETTINGS;
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return DEFAULT_SETTINGS;
  }
  if (!isRecord(stored)) {
    return DEFAULT_SETTINGS;
  }
  const threshold = stored.thresholdCpm;
  return {
    historyLimit: readHistoryLimit(stored.historyLimit) ?? DEFAULT_SETTINGS.historyLimit,
    thresholdCpm: isFiniteNumber(threshold) && threshold > 0 ? threshold : DEFAULT_SETTINGS.thresholdCpm,
  };
}

/** Loads the settings; returns the defaults when storage is unavailable. */
export function loadSettings(storage: Pick<Storage, 'getItem'> | undefined): StoredSettings {
  try {
    return parseStoredSettings(storage?.getItem(SETTINGS_STORAGE_KEY) ?? null);
  } catch (error) {
    // Browsers throw here when storage is disabled for the page.
    console.error('settings: failed to read localStorage; using the defaults:', error);
    return DEFAULT_SETTINGS;
  }
}

/** Saves the settings; a failure is logged, because the page works without them. */
export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: StoredSettings): void {
  try {
    storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
  } catch (error) {
    console.error('settings: failed to write localStorage; settings last until the page reloads:', error);
  }
}
