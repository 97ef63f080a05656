import { isCritical } from './critical';
import type { LiveReading } from './reading-history';

/** Default alert threshold in CPM; radstream's `enrich.critical_cpm` default is the same. */
export const DEFAULT_ALERT_THRESHOLD_CPM = 1000;

/** Alerts listed at most; older ones are counted but not shown. */
export const MAX_LISTED_ALERTS = 200;

/**
 * Alerts the user has dismissed: every alert up to `dismissedThroughSeq`
 * (from "Dismiss all") plus single ones by sequence number.
 */
export interface AlertDismissals {
  dismissedThroughSeq: number;
  dismissedSeqs: ReadonlySet<number>;
}

export const NO_DISMISSALS: AlertDismissals = { dismissedThroughSeq: 0, dismissedSeqs: new Set() };

/** Tells whether a reading raises an alert: critical status or flag, or CPM at or above the threshold. */
export function raisesAlert(reading: Pick<LiveReading, 'cpm' | 'critical' | 'status'>, thresholdCpm: number): boolean {
  return isCritical(reading) || reading.cpm >= thresholdCpm;
}

function isDismissed(reading: LiveReading, dismissals: AlertDismissals): boolean {
  return reading.seq <= dismissals.dismissedThroughSeq || dismissals.dismissedSeqs.has(reading.seq);
}

export interface AlertList {
  /** Undismissed alerts, newest arrival first, at most `MAX_LISTED_ALERTS`. */
  alerts: LiveReading[];
  /** All undismissed alerts, including those beyond the listed ones. */
  total: number;
}

/**
 * Collects the undismissed alerts among the held readings, newest first.
 * `readings` must be in arrival order, as the live feed keeps them.
 */
export function collectAlerts(
  readings: readonly LiveReading[],
  thresholdCpm: number,
  dismissals: AlertDismissals,
  maxListed: number = MAX_LISTED_ALERTS,
): AlertList {
  const alerts: LiveReading[] = [];
  let total = 0;
  for (let index = readings.length - 1; index >= 0; index -= 1) {
    const reading = readings[index];
    // The threshold test comes first because it rules out most readings.
    if (reading === undefined || !raisesAlert(reading, thresholdCpm) || isDismissed(reading, dismissals)) {
      continue;
    }
    total += 1;
    if (alerts.length < maxListed) {
      alerts.push(reading);
    }
  }
  return { alerts, total };
}

/** Adds one dismissed alert. */
export function dismissAlert(dismissals: AlertDismissals, seq: number): AlertDismissals {
  const dismissedSeqs = new Set(dismissals.dismissedSeqs);
  dismissedSeqs.add(seq);
  return { ...dismissals, dismissedSeqs };
}

/** Dismisses every alert up to and including the reading `seq`; later readings alert again. */
export function dismissAllAlerts(dismissals: AlertDismissals, seq: number): AlertDismissals {
  const dismissedThroughSeq = Math.max(dismissals.dismissedThroughSeq, seq);
  const dismissedSeqs = new Set([...dismissals.dismissedSeqs].filter((item) => item > dismissedThroughSeq));
  return { dismissedThroughSeq, dismissedSeqs };
}
