/** Path of the live feed WebSocket on the page's own host. */
export const FEED_PATH = '/ws';

/** Path of the pipeline counters endpoint on the page's own host. */
export const STATS_PATH = '/api/stats';

/**
 * Builds the live feed URL for a page location, choosing wss:// for pages
 * served over https:// and ws:// otherwise.
 */
export function buildFeedUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${FEED_PATH}`;
}

/** Path of the ingest playback speed endpoint (GET and POST) on the page's own host. */
export const PLAYBACK_PATH = '/api/playback';
