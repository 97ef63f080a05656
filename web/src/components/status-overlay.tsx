import type { ConnectionStatus } from '../hooks/use-live-feed';
import { formatCount } from '../lib/format';
import type { ReadingCounts } from '../lib/level-counts';
import { ConnectionIndicator } from './connection-indicator';
import { DataAge } from './data-age';
import { LevelCounts } from './level-counts';

export interface StatusOverlayProps {
  status: ConnectionStatus;
  lastUpdate: Date | null;
  newestEventMs: number | null;
  /** Counts of the readings the level filter shows. */
  counts: ReadingCounts;
  shownCount: number;
  heldCount: number;
  /** Readings the server left out since the page loaded. */
  thinned: number;
}

/** Status bar over the map: connection, data age and the readings shown per level. */
export function StatusOverlay(props: StatusOverlayProps) {
  const { status, lastUpdate, newestEventMs, counts, shownCount, heldCount, thinned } = props;
  return (
    <header className="overlay">
      <div className="overlay__row">
        <h1 className="overlay__title">radstream</h1>
        <ConnectionIndicator status={status} />
        <DataAge lastUpdate={lastUpdate} newestEventMs={newestEventMs} />
      </div>
      <LevelCounts counts={counts} />
      <p className="overlay__totals">
        <span data-testid="shown-count">{formatCount(shownCount)}</span> of {formatCount(heldCount)} held readings
        shown
        {thinned > 0 && (
          <span title="Readings the server left out of its batches because they arrived faster than a browser can draw">
            {' '}
            · server thinned {formatCount(thinned)}
          </span>
        )}
      </p>
    </header>
  );
}
