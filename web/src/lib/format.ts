const countFormat = new Intl.NumberFormat('en-US');
const valueFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** Formats a count with thousands separators, such as 12,345. */
export function formatCount(count: number): string {
  return countFormat.format(count);
}

/** Formats a measured value with thousands separators and at most 3 decimals. */
export function formatValue(value: number): string {
  return valueFormat.format(value);
}

/** Formats a dose rate in µSv/h with three significant digits. */
export function formatDose(doseUsvh: number): string {
  const digits = Math.abs(doseUsvh) >= 1000 ? doseUsvh.toFixed(0) : doseUsvh.toPrecision(3);
  return `${digits} µSv/h`;
}

/** Formats an ISO-8601 time as `YYYY-MM-DD HH:MM:SS UTC`. */
export function formatUtcTime(isoTime: string): string {
  const time = new Date(isoTime);
  if (Number.isNaN(time.getTime())) {
    return isoTime;
  }
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Formats how long ago something happened, such as `4 s ago` or `3 min ago`. */
export function formatAge(ageMs: number): string {
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  return `${Math.floor(minutes / 60)} h ago`;
}

const rateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Text shown for a value the server does not report. */
export const NOT_AVAILABLE = 'n/a';

/** Formats a rate per second, such as `1,234.5/s`. */
export function formatRate(perSecond: number): string {
  return `${rateFormat.format(perSecond)}/s`;
}

/** Formats a duration in seconds as `42 s`, `3 min 05 s` or `2 h 07 min`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Formats a value with `format`, or returns `n/a` for null and undefined. */
export function formatOptional<T>(value: T | null | undefined, format: (value: T) => string): string {
  return value === null || value === undefined ? NOT_AVAILABLE : format(value);
}

/** Formats an ingest playback speed: `max` for 0, else such as `60×`. */
export function formatPlaybackSpeed(speed: number): string {
  return speed === 0 ? 'max' : `${valueFormat.format(speed)}×`;
}
