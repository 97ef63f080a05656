import { useMemo } from 'react';

import { StatusOverlay } from '../components/status-overlay';
import { useLiveFeed } from '../hooks/use-live-feed';
import { useStats } from '../hooks/use-stats';
import { countLevels } from '../lib/level-counts';
import { MapView } from '../map/map-view';

/** The app takes no props; the type exists so every component has one. */
export type AppProps = Record<string, never>;

export function App(_props: AppProps) {
  const feed = useLiveFeed();
  const stats = useStats();
  const readings = feed.data.readings;
  const counts = useMemo(() => countLevels(readings), [readings]);

  return (
    <div className="app">
      <MapView readings={readings} />
      <StatusOverlay
        status={feed.status}
        lastUpdate={feed.lastUpdate}
        counts={counts}
        stats={stats.stats}
        statsError={stats.error}
      />
    </div>
  );
}
