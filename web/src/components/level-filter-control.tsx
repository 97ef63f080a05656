import { LEVELS, type Level } from '../api/messages';
import { formatCount } from '../lib/format';
import type { ReadingCounts } from '../lib/level-counts';
import type { LevelFilter } from '../lib/level-filter';
import { levelColor } from '../map/layers/level-colors';

export interface LevelFilterControlProps {
  filter: LevelFilter;
  /** Held readings per level, whether shown or not. */
  heldCounts: ReadingCounts;
  onChange: (filter: LevelFilter) => void;
}

/** Checkboxes that choose which levels the map and the counts include. */
export function LevelFilterControl({ filter, heldCounts, onChange }: LevelFilterControlProps) {
  const handleChange = (level: Level, checked: boolean) => {
    onChange({ ...filter, [level]: checked });
  };

  return (
    <fieldset className="level-filter">
      <legend>Levels shown</legend>
      {LEVELS.map((level) => (
        <label key={level} className="level-filter__option">
          <input
            type="checkbox"
            name={`level-${level}`}
            checked={filter[level]}
            onChange={(event) => handleChange(level, event.target.checked)}
          />
          <span className="swatch" style={{ backgroundColor: levelColor(level) }} aria-hidden="true" />
          {level}
          <span className="level-filter__count">{formatCount(heldCounts[level])}</span>
        </label>
      ))}
    </fieldset>
  );
}
