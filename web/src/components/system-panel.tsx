import type { Stats } from '../api/stats';
import {
  formatCount,
  formatDuration,
  formatOptional,
  formatPlaybackSpeed,
  formatRate,
  formatUtcTime,
} from '../lib/format';
import type { StatsSample } from '../lib/stats-samples';
import { topicColor } from '../lib/topic-colors';
import { DirtyReasons } from './dirty-reasons';
import { StatsTotals } from './stats-totals';
import { TopicRateChart } from './topic-rate-chart';

export interface SystemPanelProps {
  stats: Stats | null;
  samples: readonly StatsSample[];
  /** Error message of the latest failed stats request, or null. */
  error: string | null;
}

function formatWatermark(watermark: string | null | undefined): string {
  if (watermark === undefined) {
    return 'n/a';
  }
  return watermark === null ? 'none yet' : formatUtcTime(watermark);
}

/** Pipeline health from `GET /api/stats`: rates, lag, watermark, state sizes and dirty readings. */
export function SystemPanel({ stats, samples, error }: SystemPanelProps) {
  const rows: readonly { label: string; value: string; id: string }[] = [
    { id: 'consumer-lag', label: 'Consumer lag', value: formatOptional(stats?.consumer_lag, formatCount) },
    { id: 'watermark', label: 'Watermark', value: stats === null ? 'n/a' : formatWatermark(stats.watermark) },
    { id: 'late', label: 'Late readings', value: formatOptional(stats?.late, formatCount) },
    { id: 'dedup-entries', label: 'Dedup state', value: formatOptional(stats?.dedup_entries, (n) => `${formatCount(n)} keys`) },
    { id: 'uptime', label: 'Uptime', value: formatOptional(stats?.uptime_seconds, formatDuration) },
    { id: 'playback-speed', label: 'Playback speed', value: formatOptional(stats?.playback_speed, formatPlaybackSpeed) },
    { id: 'websocket-clients', label: 'Map clients', value: formatOptional(stats?.websocket_clients, formatCount) },
    {
      id: 'slow-disconnects',
      label: 'Slow clients dropped',
      value: formatOptional(stats?.websocket_slow_disconnects, formatCount),
    },
    { id: 'map-readings', label: 'Readings sent to maps', value: formatOptional(stats?.map_readings, formatCount) },
  ];

  return (
    <div className="system">
      <TopicRateChart samples={samples} />
      {stats?.topics == null ? (
        <p className="empty">Topic counts: n/a</p>
      ) : (
        <table className="topics">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Records</th>
              <th scope="col">Rate</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(stats.topics).map(([topic, entry], index) => (
              <tr key={topic}>
                <th scope="row">
                  <span className="rate-chart__key" style={{ backgroundColor: topicColor(topic, index) }} />
                  {topic}
                </th>
                <td data-testid={`topic-records-${topic}`}>{formatCount(entry.records)}</td>
                <td>{formatOptional(entry.per_second, formatRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <StatsTotals stats={stats} error={error} />
      <dl className="system__list">
        {rows.map((row) => (
          <div key={row.id} className="system__item">
            <dt>{row.label}</dt>
            <dd data-testid={`system-${row.id}`}>{row.value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="system__heading">Dirty readings by reason</h3>
      <DirtyReasons byReason={stats?.dirty_by_reason ?? {}} examples={stats?.dirty_examples ?? null} />
    </div>
  );
}
