import { type FormEvent, useState } from 'react';

import { formatCount } from '../lib/format';
import { type HistoryLimit, validateHistoryLimit } from '../lib/reading-history';

export interface HistorySettingsProps {
  limit: HistoryLimit;
  /** Number of readings the map keeps now. */
  heldCount: number;
  onChange: (limit: HistoryLimit) => void;
}

type Mode = HistoryLimit['mode'];

function limitAmount(limit: HistoryLimit): number {
  return limit.mode === 'readings' ? limit.count : limit.minutes;
}

function buildLimit(mode: Mode, amount: number): HistoryLimit {
  return mode === 'readings' ? { mode, count: amount } : { mode, minutes: amount };
}

/**
 * Renders the history limit: the last N readings or the last N minutes of
 * capture time. A change applies on submit, because applying it drops
 * readings and a half-typed number would drop too many.
 */
export function HistorySettings({ limit, heldCount, onChange }: HistorySettingsProps) {
  const [mode, setMode] = useState<Mode>(limit.mode);
  const [amountText, setAmountText] = useState(String(limitAmount(limit)));
  const [error, setError] = useState<string | null>(null);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const amount = amountText.trim() === '' ? Number.NaN : Number(amountText);
    const next = buildLimit(mode, amount);
    const problem = validateHistoryLimit(next);
    setError(problem);
    if (problem === null) {
      onChange(next);
    }
  };

  return (
    <form className="history-settings" onSubmit={handleSubmit}>
      <div className="field-row">
        <label className="field">
          <span>Keep the last</span>
          <input
            type="number"
            name="history-amount"
            min={1}
            step="any"
            inputMode="decimal"
            value={amountText}
            aria-invalid={error !== null}
            onChange={(event) => setAmountText(event.target.value)}
          />
        </label>
        <select
          name="history-mode"
          aria-label="History unit"
          value={mode}
          onChange={(event) => setMode(event.target.value === 'minutes' ? 'minutes' : 'readings')}
        >
          <option value="readings">readings</option>
          <option value="minutes">minutes of capture time</option>
        </select>
        <button type="submit">Apply</button>
      </div>
      {error !== null && <p className="field-error">{error}</p>}
      <p className="hint">Holding {formatCount(heldCount)} readings.</p>
    </form>
  );
}
