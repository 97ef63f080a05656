import type { ViewMode } from '../map/layers/reading-layers';

export interface ViewModeToggleProps {
  viewMode: ViewMode;
  onChange: (viewMode: ViewMode) => void;
}

const VIEW_MODES: readonly { value: ViewMode; label: string }[] = [
  { value: 'clusters', label: 'Points' },
  { value: 'heatmap', label: 'Heatmap' },
];

/** Switches the map between clustered circles and a heatmap. */
export function ViewModeToggle({ viewMode, onChange }: ViewModeToggleProps) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Map view">
      {VIEW_MODES.map(({ value, label }) => (
        <label key={value} className="segmented__option">
          <input
            type="radio"
            name="view-mode"
            value={value}
            checked={viewMode === value}
            onChange={() => onChange(value)}
          />
          <span>{label}</span>
        </label>
      ))}
    </div>
  );
}
