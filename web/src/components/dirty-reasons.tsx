import type { DirtyExample } from '../api/stats';
import { formatCount, formatUtcTime } from '../lib/format';

export interface DirtyReasonsProps {
  byReason: Readonly<Record<string, number>>;
  /** Latest dirty records, newest first; null when the server does not report them. */
  examples: readonly DirtyExample[] | null;
}

/** Dirty readings per reason, most frequent first, and the latest examples. */
export function DirtyReasons({ byReason, examples }: DirtyReasonsProps) {
  const reasons = Object.entries(byReason).sort(([, a], [, b]) => b - a);
  return (
    <div className="dirty">
      {reasons.length === 0 ? (
        <p className="empty">No dirty readings.</p>
      ) : (
        <table className="dirty__table">
          <tbody>
            {reasons.map(([reason, count]) => (
              <tr key={reason}>
                <th scope="row">{reason}</th>
                <td>{formatCount(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4 className="dirty__heading">Latest examples</h4>
      {examples === null ? (
        <p className="empty">n/a: the server does not report examples.</p>
      ) : examples.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <ul className="dirty__examples">
          {examples.map((example, index) => (
            <li key={`${index}-${example.source ?? ''}`}>
              <strong>{example.reason}</strong>: {example.message}
              <span className="dirty__where">
                {example.source ?? 'unknown source'}
                {example.timestamp !== null && ` · ${formatUtcTime(example.timestamp)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
