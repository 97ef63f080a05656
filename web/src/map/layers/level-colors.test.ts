import { describe, expect, it } from 'vitest';

import { LEVELS } from '../../api/messages';
import { CLUSTER_COLOR_EXPRESSION, LEVEL_COLOR_EXPRESSION, UNKNOWN_LEVEL_COLOR, levelColor } from './level-colors';

describe('levelColor', () => {
  it('maps low, moderate and high to green, amber and red', () => {
    expect(levelColor('low')).toBe('#2f9e44');
    expect(levelColor('moderate')).toBe('#f08c00');
    expect(levelColor('high')).toBe('#e03131');
  });

  it('gives each level its own color', () => {
    const colors = new Set(LEVELS.map(levelColor));

    expect(colors.size).toBe(LEVELS.length);
    expect(colors.has(UNKNOWN_LEVEL_COLOR)).toBe(false);
  });
});

describe('LEVEL_COLOR_EXPRESSION', () => {
  it('paints each level rank with its levelColor color', () => {
    const branches = LEVELS.flatMap((level, rank) => [rank, levelColor(level)]);

    expect(LEVEL_COLOR_EXPRESSION).toEqual(['match', ['get', 'rank'], ...branches, UNKNOWN_LEVEL_COLOR]);
  });
});

describe('CLUSTER_COLOR_EXPRESSION', () => {
  it('paints a cluster by the highest level rank inside it', () => {
    const branches = LEVELS.flatMap((level, rank) => [rank, levelColor(level)]);

    expect(CLUSTER_COLOR_EXPRESSION).toEqual(['match', ['get', 'max_rank'], ...branches, UNKNOWN_LEVEL_COLOR]);
  });
});
