import type { Level } from '../../api/messages';
import { LEVEL_RANKS } from '../../lib/features';
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

/**
 * Circle color picked from a level rank property (`LEVEL_RANKS`): `rank`
 * on a reading, `max_rank` on a cluster.
 */
export function rankColorExpression(property: 'rank' | 'max_rank'): CircleColor {
  return [
    'match',
    ['get', property],
    LEVEL_RANKS.low,
    LEVEL_COLORS.low,
    LEVEL_RANKS.moderate,
    LEVEL_COLORS.moderate,
    LEVEL_RANKS.high,
    LEVEL_COLORS.high,
    UNKNOWN_LEVEL_COLOR,
  ];
}

/** Circle color of a single reading. */
export const LEVEL_COLOR_EXPRESSION = rankColorExpression('rank');

/** Circle color of a cluster: the color of the highest level inside it. */
export const CLUSTER_COLOR_EXPRESSION = rankColorExpression('max_rank');
