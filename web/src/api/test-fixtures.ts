import type { LiveReading } from '../lib/reading-history';
import type { Reading } from './messages';

/** Builds a valid wire record near Fukushima Daiichi with the given fields replaced. */
export function makeRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'processed',
    timestamp: '2012-03-29T07:10:34Z',
    lat: 37.63882,
    lon: 140.95541,
    value: 74,
    unit: 'cpm',
    level: 'low',
    critical: false,
    cpm: 74,
    dose_usvh: 0.2216,
    device_id: '102',
    location_name: '',
    height: 90.9,
    source: '102-0329.LOG:3',
    key: '102|2012-03-29T07:10:34Z',
    ...overrides,
  };
}

/**
 * Builds the reading that `makeRecord()` parses into, with the given fields
 * replaced. `eventTimeMs` follows an overridden `timestamp` unless given too.
 */
export function makeReading(overrides: Partial<Reading> = {}): Reading {
  const timestamp = overrides.timestamp ?? '2012-03-29T07:10:34Z';
  return {
    status: 'processed',
    timestamp,
    lat: 37.63882,
    lon: 140.95541,
    value: 74,
    unit: 'cpm',
    level: 'low',
    critical: false,
    cpm: 74,
    dose_usvh: 0.2216,
    device_id: '102',
    location_name: '',
    height: 90.9,
    source: '102-0329.LOG:3',
    origin: null,
    key: '102|2012-03-29T07:10:34Z',
    late: false,
    eventTimeMs: Date.parse(timestamp),
    ...overrides,
  };
}

/** Builds a held reading with arrival number `seq` and the given fields replaced. */
export function makeLiveReading(seq: number, overrides: Partial<Reading> = {}): LiveReading {
  return { ...makeReading({ key: `key-${seq}`, ...overrides }), seq };
}
