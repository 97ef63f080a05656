import { describe, expect, it } from 'vitest';

import { makeLiveReading } from '../api/test-fixtures';
import { NO_DISMISSALS, collectAlerts, dismissAlert, dismissAllAlerts, raisesAlert } from './alerts';

describe('raisesAlert', () => {
  it('alerts at the threshold and above', () => {
    expect(raisesAlert(makeLiveReading(1, { cpm: 1000 }), 1000)).toBe(true);
    expect(raisesAlert(makeLiveReading(1, { cpm: 5000 }), 1000)).toBe(true);
  });

  it('stays silent below the threshold', () => {
    expect(raisesAlert(makeLiveReading(1, { cpm: 999.9 }), 1000)).toBe(false);
  });

  it('always alerts for critical status', () => {
    const critical = makeLiveReading(1, { cpm: 10, status: 'critical', critical: false });

    expect(raisesAlert(critical, 1_000_000)).toBe(true);
  });

  it('always alerts for the critical flag', () => {
    const critical = makeLiveReading(1, { cpm: 10, status: 'processed', critical: true });

    expect(raisesAlert(critical, 1_000_000)).toBe(true);
  });

  it('follows a lowered threshold', () => {
    expect(raisesAlert(makeLiveReading(1, { cpm: 120 }), 100)).toBe(true);
  });
});

describe('collectAlerts', () => {
  const readings = [
    makeLiveReading(1, { cpm: 50 }),
    makeLiveReading(2, { cpm: 1500 }),
    makeLiveReading(3, { cpm: 20, status: 'critical', critical: true }),
    makeLiveReading(4, { cpm: 80 }),
    makeLiveReading(5, { cpm: 2000 }),
  ];

  it('lists alerts newest first', () => {
    const list = collectAlerts(readings, 1000, NO_DISMISSALS);

    expect(list.alerts.map((reading) => reading.seq)).toEqual([5, 3, 2]);
    expect(list.total).toBe(3);
  });

  it('leaves out a dismissed alert', () => {
    const dismissals = dismissAlert(NO_DISMISSALS, 3);

    const list = collectAlerts(readings, 1000, dismissals);

    expect(list.alerts.map((reading) => reading.seq)).toEqual([5, 2]);
    expect(list.total).toBe(2);
  });

  it('dismisses all alerts up to a reading and keeps later ones', () => {
    const dismissals = dismissAllAlerts(NO_DISMISSALS, 4);

    const list = collectAlerts(readings, 1000, dismissals);

    expect(list.alerts.map((reading) => reading.seq)).toEqual([5]);
  });

  it('drops single dismissals that dismiss all covers', () => {
    const dismissals = dismissAllAlerts(dismissAlert(dismissAlert(NO_DISMISSALS, 2), 9), 4);

    expect(dismissals.dismissedThroughSeq).toBe(4);
    expect([...dismissals.dismissedSeqs]).toEqual([9]);
  });

  it('counts alerts past the listed maximum', () => {
    const list = collectAlerts(readings, 1000, NO_DISMISSALS, 2);

    expect(list.alerts.map((reading) => reading.seq)).toEqual([5, 3]);
    expect(list.total).toBe(3);
  });

  it('returns nothing for no readings', () => {
    expect(collectAlerts([], 1000, NO_DISMISSALS)).toEqual({ alerts: [], total: 0 });
  });
});
