import { isCritical } from '../lib/critical';
import { formatUtcTime, formatValue } from '../lib/format';
import type { LiveReading } from '../lib/reading-history';
import { levelColor } from '../map/layers/level-colors';

export interface AlertItemProps {
  reading: LiveReading;
  onSelect: (reading: LiveReading) => void;
  onDismiss: (reading: LiveReading) => void;
}

function describePlace(reading: LiveReading): string {
  if (reading.location_name !== null && reading.location_name !== '') {
    return reading.location_name;
  }
  return `${reading.lat.toFixed(4)}, ${reading.lon.toFixed(4)}`;
}

/** Renders one alert: a button that flies the map to the reading, and a dismiss button. */
export function AlertItem({ reading, onSelect, onDismiss }: AlertItemProps) {
  const critical = isCritical(reading);
  return (
    <li className={critical ? 'alert-item alert-item--critical' : 'alert-item'} data-testid="alert-item">
      <button type="button" className="alert-item__main" onClick={() => onSelect(reading)}>
        <span className="swatch" style={{ backgroundColor: levelColor(reading.level) }} aria-hidden="true" />
        <span className="alert-item__value">{formatValue(reading.cpm)} CPM</span>
        {critical && <span className="reading__critical">critical</span>}
        {reading.late && <span className="reading__late">late</span>}
        <span className="alert-item__detail">
          {formatUtcTime(reading.timestamp)} · {describePlace(reading)}
        </span>
      </button>
      <button
        type="button"
        className="alert-item__dismiss"
        aria-label={`Dismiss the alert for ${formatValue(reading.cpm)} CPM at ${formatUtcTime(reading.timestamp)}`}
        onClick={() => onDismiss(reading)}
      >
        ×
      </button>
    </li>
  );
}
