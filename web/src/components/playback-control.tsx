import { type FormEvent, useState } from 'react';

import { formatPlaybackSpeed } from '../lib/format';

export interface PlaybackControlProps {
  /** Speed the server reported last; null until known. */
  speed: number | null;
  error: string | null;
  saving: boolean;
  onSetSpeed: (speed: number) => void;
}

/** Preset speeds: 0 is as fast as possible and 1 is real time. */
export const PLAYBACK_PRESETS = [0, 1, 10, 60, 300, 3600] as const;

function presetLabel(preset: number): string {
  if (preset === 0) {
    return 'max (0)';
  }
  if (preset === 1) {
    return 'real time (1×)';
  }
  return formatPlaybackSpeed(preset);
}

/**
 * Ingest playback speed: how many seconds of capture time the ingest stage
 * replays per second. A preset applies at once; a typed speed on submit.
 */
export function PlaybackControl({ speed, error, saving, onSetSpeed }: PlaybackControlProps) {
  const [customText, setCustomText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const presetValue = speed !== null && PLAYBACK_PRESETS.some((preset) => preset === speed) ? String(speed) : '';

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = Number(customText);
    if (customText.trim() === '' || !Number.isFinite(value) || value < 0) {
      setInputError('Enter a speed of 0 or more: 0 is as fast as possible, 1 is real time.');
      return;
    }
    setInputError(null);
    onSetSpeed(value);
  };

  return (
    <form className="playback" onSubmit={handleSubmit}>
      <div className="field-row">
        <label className="field">
          <span>Speed</span>
          <select
            name="playback-preset"
            value={presetValue}
            disabled={saving}
            onChange={(event) => {
              if (event.target.value !== '') onSetSpeed(Number(event.target.value));
            }}
          >
            <option value="" disabled>
              {speed === null ? 'unknown' : formatPlaybackSpeed(speed)}
            </option>
            {PLAYBACK_PRESETS.map((preset) => (
              <option key={preset} value={String(preset)}>
                {presetLabel(preset)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="number"
          name="playback-speed"
          aria-label="Custom playback speed"
          min={0}
          step="any"
          inputMode="decimal"
          placeholder="other"
          value={customText}
          onChange={(event) => setCustomText(event.target.value)}
        />
        <button type="submit" disabled={saving}>
          Set
        </button>
      </div>
      <p className="hint" data-testid="playback-current">
        Current: {speed === null ? 'unknown' : formatPlaybackSpeed(speed)}
        {saving && ' (saving…)'}
      </p>
      {inputError !== null && <p className="field-error">{inputError}</p>}
      {error !== null && (
        <p className="field-error" role="alert" data-testid="playback-error">
          {error}
        </p>
      )}
    </form>
  );
}
