import { type ChangeEvent, useState } from 'react';

import { formatCount } from '../lib/format';
import type { LiveReading } from '../lib/reading-history';
import { AlertItem } from './alert-item';

export interface AlertPanelProps {
  /** Undismissed alerts, newest first. */
  alerts: readonly LiveReading[];
  /** Undismissed alerts in all, including those not listed. */
  total: number;
  thresholdCpm: number;
  onThresholdChange: (thresholdCpm: number) => void;
  soundOn: boolean;
  onSoundChange: (soundOn: boolean) => void;
  onSelect: (reading: LiveReading) => void;
  onDismiss: (reading: LiveReading) => void;
  onDismissAll: () => void;
}

function parseThreshold(text: string): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

/** Alert threshold, sound switch and the list of alerts. */
export function AlertPanel(props: AlertPanelProps) {
  const { alerts, total, thresholdCpm, soundOn } = props;
  const [thresholdText, setThresholdText] = useState(String(thresholdCpm));
  const thresholdValid = parseThreshold(thresholdText) !== null;

  const handleThresholdChange = (event: ChangeEvent<HTMLInputElement>) => {
    setThresholdText(event.target.value);
    const value = parseThreshold(event.target.value);
    if (value !== null) {
      props.onThresholdChange(value);
    }
  };

  const hidden = total - alerts.length;
  return (
    <div className="alerts">
      <div className="alerts__settings">
        <label className="field">
          <span>Alert at CPM ≥</span>
          <input
            type="number"
            name="threshold"
            min={1}
            step="any"
            inputMode="decimal"
            value={thresholdText}
            aria-invalid={!thresholdValid}
            onChange={handleThresholdChange}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            name="alert-sound"
            checked={soundOn}
            onChange={(event) => props.onSoundChange(event.target.checked)}
          />
          Sound
        </label>
        <button type="button" onClick={props.onDismissAll} disabled={total === 0}>
          Dismiss all
        </button>
      </div>
      {!thresholdValid && (
        <p className="field-error">
          Enter a CPM above 0; alerts still use {formatCount(thresholdCpm)} CPM.
        </p>
      )}
      <p className="hint">Critical readings always alert. Click an alert to fly to it.</p>
      {alerts.length === 0 ? (
        <p className="empty" data-testid="no-alerts">
          No alerts among the held readings.
        </p>
      ) : (
        <ul className="alert-list" aria-label="Alerts, newest first">
          {alerts.map((reading) => (
            <AlertItem key={reading.seq} reading={reading} onSelect={props.onSelect} onDismiss={props.onDismiss} />
          ))}
        </ul>
      )}
      {hidden > 0 && <p className="hint">{formatCount(hidden)} older alerts are not listed.</p>}
    </div>
  );
}
