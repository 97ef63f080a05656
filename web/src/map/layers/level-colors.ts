import type { Level } from '../../api/messages';
import type { CircleColor } from './layer-types';

/** Fill color of a reading circle per level: green, amber, red. */
export const LEVEL_COLORS: Readonly<Record<Level, string>> = {
  low: '#2f9e44',
  moderate: '#f08c00',
  high: '#e03131',
};

/** Color for a level the map does not know; parsing rejects such records. */
export const UNKNOWN_LEVEL_COLOR = '#868e96';

/** Dark purple outline of critical readings. */
export const CRITICAL_OUTLINE_COLOR = '#5f0f7a';

/** Magenta halo drawn under critical readings. */
export const CRITICAL_HALO_COLOR = '#cc5de8';

export function levelColor(level: Level): string {
  return LEVEL_COLORS[level];
}

/** Circle color picked from the feature's `level` property. */
export const LEVEL_COLOR_EXPRESSION: CircleColor = [
  'match',
  ['get', 'level'],
  'low',
  LEVEL_COLORS.low,
  'moderate',
  LEVEL_COLORS.moderate,
  'high',
  LEVEL_COLORS.high,
  UNKNOWN_LEVEL_COLOR,
];
