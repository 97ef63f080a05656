import type { Reading } from '../api/messages';

/**
 * Tells whether a reading is shown as critical. The server marks critical
 * readings both with `critical: true` and with `status: "critical"`; either
 * one is enough, so a record where the two disagree is still highlighted.
 */
export function isCritical(reading: Pick<Reading, 'critical' | 'status'>): boolean {
  return reading.critical || reading.status === 'critical';
}
