import type { Stats } from '../api/stats';
import { formatCount } from '../lib/format';

export interface StatsTotalsProps {
  stats: Stats | null;
  /** Error message of the latest failed stats request, or null. */
  error: string | null;
}

const TOTALS: readonly { field: keyof Stats & string; label: string }[] = [
  { field: 'input', label: 'input' },
  { field: 'processed', label: 'processed' },
  { field: 'critical', label: 'critical' },
  { field: 'dirty', label: 'dirty' },
  { field: 'duplicates', label: 'duplicates' },
];

function formatTotal(stats: Stats | null, field: keyof Stats): string {
  const value = stats?.[field];
  return typeof value === 'number' ? formatCount(value) : '–';
}

/** Pipeline totals since the server started. */
export function StatsTotals({ stats, error }: StatsTotalsProps) {
  const stale = error !== null;
  return (
    <div className={stale ? 'stats stats--stale' : 'stats'}>
      <dl className="stats__list" aria-label="Pipeline totals">
        {TOTALS.map(({ field, label }) => (
          <div key={field} className="stats__item">
            <dt>{label}</dt>
            <dd data-testid={`total-${field}`}>{formatTotal(stats, field)}</dd>
          </div>
        ))}
      </dl>
      {stale && (
        <p className="stats__error" title={error}>
          Totals not updating: {error}
        </p>
      )}
    </div>
  );
}
