import { useEffect, useState } from 'react';

import { formatAge } from '../lib/format';

export interface DataAgeProps {
  /** Arrival time of the newest readings, or null before the first batch. */
  lastUpdate: Date | null;
}

/** How often the age text is refreshed. */
const AGE_REFRESH_INTERVAL_MS = 1_000;

export function DataAge({ lastUpdate }: DataAgeProps) {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), AGE_REFRESH_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, []);

  if (lastUpdate === null) {
    return <span className="data-age">no readings yet</span>;
  }
  return (
    <span className="data-age" title={lastUpdate.toISOString()}>
      last batch {formatAge(now - lastUpdate.getTime())}
    </span>
  );
}
