import { useEffect, useState } from 'react';

import { formatAge, formatUtcTime } from '../lib/format';

export interface DataAgeProps {
  /** Arrival time of the newest readings, or null before the first batch. */
  lastUpdate: Date | null;
  /** Latest capture time seen in ms since the Unix epoch, or null. */
  newestEventMs: number | null;
}

/** How often the age text is refreshed. */
const AGE_REFRESH_INTERVAL_MS = 1_000;

/**
 * Age of the newest reading: when it arrived, and its capture time, which
 * lies far in the past while radstream replays old files.
 */
export function DataAge({ lastUpdate, newestEventMs }: DataAgeProps) {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), AGE_REFRESH_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, []);

  if (lastUpdate === null) {
    return <span className="data-age">no readings yet</span>;
  }
  const captured = newestEventMs === null ? null : formatUtcTime(new Date(newestEventMs).toISOString());
  return (
    <span className="data-age" title={`Last batch arrived at ${lastUpdate.toISOString()}`} data-testid="data-age">
      newest reading arrived {formatAge(now - lastUpdate.getTime())}
      {captured !== null && <>, captured {captured}</>}
    </span>
  );
}
