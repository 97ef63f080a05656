import type { Reading } from '../api/messages';
import { isCritical } from '../lib/critical';
import { formatDose, formatUtcTime, formatValue } from '../lib/format';
import { levelColor } from '../map/layers/level-colors';

export interface ReadingDetailsProps {
  reading: Reading;
}

function orNotReported(text: string | null): string {
  return text === null || text === '' ? 'not reported' : text;
}

/** Fields of one reading, shown in the map popup. */
export function ReadingDetails({ reading }: ReadingDetailsProps) {
  return (
    <div className="reading">
      <p className="reading__value">
        {formatValue(reading.value)} {reading.unit}
        {isCritical(reading) && <span className="reading__critical">critical</span>}
        {reading.late && (
          <span className="reading__late" title="Arrived after the event-time watermark had passed its capture time">
            late
          </span>
        )}
      </p>
      <dl className="reading__fields">
        <dt>Dose</dt>
        <dd>{formatDose(reading.dose_usvh)}</dd>
        <dt>Level</dt>
        <dd>
          <span className="swatch" style={{ backgroundColor: levelColor(reading.level) }} aria-hidden="true" />
          {reading.level}
        </dd>
        <dt>Captured</dt>
        <dd>{formatUtcTime(reading.timestamp)}</dd>
        <dt>Device</dt>
        <dd>{orNotReported(reading.device_id)}</dd>
        <dt>Location</dt>
        <dd>{orNotReported(reading.location_name)}</dd>
        <dt>Coordinates</dt>
        <dd>
          {reading.lat.toFixed(5)}, {reading.lon.toFixed(5)}
        </dd>
        <dt>Source</dt>
        <dd className="reading__source">{orNotReported(reading.source)}</dd>
        <dt>Origin</dt>
        <dd className="reading__source">{orNotReported(reading.origin)}</dd>
        <dt>Late</dt>
        <dd>{reading.late ? 'yes, after the watermark' : 'no'}</dd>
      </dl>
    </div>
  );
}
