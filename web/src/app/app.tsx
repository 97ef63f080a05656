import { useCallback, useEffect, useMemo, useState } from 'react';

import { AlertPanel } from '../components/alert-panel';
import { ControlPanel } from '../components/control-panel';
import { HistorySettings } from '../components/history-settings';
import { LevelFilterControl } from '../components/level-filter-control';
import { PanelSection } from '../components/panel-section';
import { PlaybackControl } from '../components/playback-control';
import { StatusOverlay } from '../components/status-overlay';
import { SystemPanel } from '../components/system-panel';
import { ViewModeToggle } from '../components/view-mode-toggle';
import { useAlertSound } from '../hooks/use-alert-sound';
import { useLiveFeed } from '../hooks/use-live-feed';
import { usePlayback } from '../hooks/use-playback';
import { useStats } from '../hooks/use-stats';
import {
  type AlertDismissals,
  NO_DISMISSALS,
  collectAlerts,
  dismissAlert,
  dismissAllAlerts,
} from '../lib/alerts';
import { formatCount } from '../lib/format';
import { countLevels } from '../lib/level-counts';
import { type LevelFilter, SHOW_ALL_LEVELS, filterByLevel } from '../lib/level-filter';
import type { HistoryLimit, LiveReading } from '../lib/reading-history';
import { loadSettings, saveSettings } from '../lib/stored-settings';
import type { ViewMode } from '../map/layers/reading-layers';
import { MapView } from '../map/map-view';
import type { FocusRequest } from '../map/use-focus-request';

/** The app takes no props; the type exists so every component has one. */
export type AppProps = Record<string, never>;

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Reading localStorage throws when the browser blocks storage for the page.
    return undefined;
  }
}

export function App(_props: AppProps) {
  const [initialSettings] = useState(() => loadSettings(browserStorage()));
  const [historyLimit, setHistoryLimit] = useState<HistoryLimit>(initialSettings.historyLimit);
  const [levelFilter, setLevelFilter] = useState<LevelFilter>(SHOW_ALL_LEVELS);
  const [viewMode, setViewMode] = useState<ViewMode>('clusters');
  const [thresholdCpm, setThresholdCpm] = useState(initialSettings.thresholdCpm);
  const [dismissals, setDismissals] = useState<AlertDismissals>(NO_DISMISSALS);
  const [soundOn, setSoundOn] = useState(false);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => {
    saveSettings(browserStorage(), { historyLimit, thresholdCpm });
  }, [historyLimit, thresholdCpm]);

  const feed = useLiveFeed({ historyLimit });
  const stats = useStats();
  const playback = usePlayback();

  const held = feed.data.readings;
  const shown = useMemo(() => filterByLevel(held, levelFilter), [held, levelFilter]);
  const heldCounts = useMemo(() => countLevels(held), [held]);
  const shownCounts = useMemo(() => (shown === held ? heldCounts : countLevels(shown)), [shown, held, heldCounts]);
  const alertList = useMemo(() => collectAlerts(held, thresholdCpm, dismissals), [held, thresholdCpm, dismissals]);

  useAlertSound(alertList.alerts[0]?.seq ?? null, soundOn);

  const handleSelectAlert = useCallback((reading: LiveReading) => {
    setFocus((previous) => ({ reading, requestId: (previous?.requestId ?? 0) + 1 }));
  }, []);
  const handleDismiss = useCallback((reading: LiveReading) => {
    setDismissals((previous) => dismissAlert(previous, reading.seq));
  }, []);
  const handleDismissAll = () => {
    const newest = held[held.length - 1];
    if (newest !== undefined) {
      setDismissals((previous) => dismissAllAlerts(previous, newest.seq));
    }
  };

  return (
    <div className="app">
      <MapView readings={shown} viewMode={viewMode} focus={focus} />
      <StatusOverlay
        status={feed.status}
        lastUpdate={feed.lastUpdate}
        newestEventMs={feed.data.newestEventMs}
        counts={shownCounts}
        shownCount={shown.length}
        heldCount={held.length}
        thinned={feed.data.thinned}
      />
      <ControlPanel open={drawerOpen} onToggle={() => setDrawerOpen((open) => !open)} alertCount={alertList.total}>
        <PanelSection id="view" title="Map">
          <ViewModeToggle viewMode={viewMode} onChange={setViewMode} />
          <LevelFilterControl filter={levelFilter} heldCounts={heldCounts} onChange={setLevelFilter} />
        </PanelSection>
        <PanelSection
          id="alerts"
          title="Alerts"
          badge={<span data-testid="alert-count">{formatCount(alertList.total)}</span>}
        >
          <AlertPanel
            alerts={alertList.alerts}
            total={alertList.total}
            thresholdCpm={thresholdCpm}
            onThresholdChange={setThresholdCpm}
            soundOn={soundOn}
            onSoundChange={setSoundOn}
            onSelect={handleSelectAlert}
            onDismiss={handleDismiss}
            onDismissAll={handleDismissAll}
          />
        </PanelSection>
        <PanelSection id="history" title="History" defaultOpen={false}>
          <HistorySettings limit={historyLimit} heldCount={held.length} onChange={setHistoryLimit} />
        </PanelSection>
        <PanelSection id="playback" title="Playback" defaultOpen={false}>
          <PlaybackControl
            speed={playback.speed}
            error={playback.error}
            saving={playback.saving}
            onSetSpeed={playback.setSpeed}
          />
        </PanelSection>
        <PanelSection id="system" title="System" defaultOpen={false}>
          <SystemPanel stats={stats.stats} samples={stats.samples} error={stats.error} />
        </PanelSection>
      </ControlPanel>
    </div>
  );
}
