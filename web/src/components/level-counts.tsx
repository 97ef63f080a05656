import { LEVELS } from '../api/messages';
import { formatCount } from '../lib/format';
import type { ReadingCounts } from '../lib/level-counts';
import { CRITICAL_OUTLINE_COLOR, levelColor } from '../map/layers/level-colors';

export interface LevelCountsProps {
  counts: ReadingCounts;
}

/** Legend of the circle colors with the number of readings shown per level. */
export function LevelCounts({ counts }: LevelCountsProps) {
  return (
    <ul className="level-counts" aria-label="Readings shown per level">
      {LEVELS.map((level) => (
        <li key={level} className="level-counts__item">
          <span className="swatch" style={{ backgroundColor: levelColor(level) }} aria-hidden="true" />
          {level} <strong>{formatCount(counts[level])}</strong>
        </li>
      ))}
      <li className="level-counts__item">
        <span
          className="swatch swatch--critical"
          style={{ borderColor: CRITICAL_OUTLINE_COLOR }}
          aria-hidden="true"
        />
        critical <strong>{formatCount(counts.critical)}</strong>
      </li>
    </ul>
  );
}
