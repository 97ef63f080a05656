import type { Stats } from '../api/messages';
import type { ConnectionStatus } from '../hooks/use-live-feed';
import type { ReadingCounts } from '../lib/level-counts';
import { ConnectionIndicator } from './connection-indicator';
import { DataAge } from './data-age';
import { LevelCounts } from './level-counts';
import { StatsTotals } from './stats-totals';

export interface StatusOverlayProps {
  status: ConnectionStatus;
  lastUpdate: Date | null;
  counts: ReadingCounts;
  stats: Stats | null;
  statsError: string | null;
}

/** Header card over the map: connection, readings per level and pipeline totals. */
export function StatusOverlay({ status, lastUpdate, counts, stats, statsError }: StatusOverlayProps) {
  return (
    <header className="overlay">
      <div className="overlay__row">
        <h1 className="overlay__title">radstream</h1>
        <ConnectionIndicator status={status} />
        <DataAge lastUpdate={lastUpdate} />
      </div>
      <LevelCounts counts={counts} />
      <StatsTotals stats={stats} error={statsError} />
    </header>
  );
}
