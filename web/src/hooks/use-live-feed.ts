import { useEffect, useRef, useState } from 'react';

import { buildFeedUrl } from '../api/endpoints';
import { type Reading, type RejectedRecord, parseFeedMessage } from '../api/messages';
import { reconnectDelayMs } from '../lib/backoff';
import {
  DEFAULT_HISTORY_LIMIT,
  type HistoryLimit,
  type LiveReading,
  MAX_HELD_READINGS,
  applyHistoryLimit,
  dropKnownReadings,
  newestEventTime,
} from '../lib/reading-history';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * From this many held readings on, new readings reach React state at most
 * every `LARGE_FEED_PUBLISH_INTERVAL_MS`. Each publish filters, counts and
 * converts every held reading, which takes tens of milliseconds for 100,000
 * readings on a 2-core machine, so publishing on every batch (10 per
 * second) would take frames from the map.
 */
export const LARGE_FEED_READINGS = 20_000;
export const LARGE_FEED_PUBLISH_INTERVAL_MS = 500;

/** Invalid records logged one by one per frame; the rest are only counted. */
const MAX_LOGGED_REJECTIONS = 3;

export interface LiveFeedData {
  /** Held readings in arrival order, within the history limit. Each update brings a new array. */
  readings: readonly LiveReading[];
  /** Readings the server left out of its batches since the page loaded. */
  thinned: number;
  /** Latest capture time seen in ms since the Unix epoch; null before the first reading. */
  newestEventMs: number | null;
}

export interface LiveFeed {
  status: ConnectionStatus;
  data: LiveFeedData;
  /** Arrival time of the newest readings; null until the first batch. */
  lastUpdate: Date | null;
}

export interface LiveFeedOptions {
  /** WebSocket URL; defaults to `/ws` on the page's host. */
  url?: string;
  /** Readings to hold; a new limit applies at the next animation frame without reconnecting. */
  historyLimit?: HistoryLimit;
}

const EMPTY_DATA: LiveFeedData = { readings: [], thinned: 0, newestEventMs: null };

function logRejected(url: string, rejected: readonly RejectedRecord[], batchSize: number): void {
  for (const record of rejected.slice(0, MAX_LOGGED_REJECTIONS)) {
    const where = record.source === null ? '' : ` (source "${record.source}")`;
    console.error(
      `live feed ${url}: dropped invalid reading ${record.index + 1} of ${batchSize}${where}: ${record.error}`,
    );
  }
  const unlogged = rejected.length - MAX_LOGGED_REJECTIONS;
  if (unlogged > 0) {
    console.error(`live feed ${url}: dropped ${unlogged} more invalid readings of the same batch`);
  }
}

/**
 * Connects to the live feed, reconnects with exponential backoff after the
 * connection closes, and keeps the readings within `historyLimit`. New
 * readings reach React state at most once per animation frame, however many
 * WebSocket messages arrive in between, and at most every
 * `LARGE_FEED_PUBLISH_INTERVAL_MS` once it keeps `LARGE_FEED_READINGS` or
 * more. The `history` frame that starts each connection adds only readings
 * whose key is not kept yet.
 */
export function useLiveFeed(options: LiveFeedOptions = {}): LiveFeed {
  const url = options.url ?? buildFeedUrl(window.location);
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;

  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [data, setData] = useState<LiveFeedData>(EMPTY_DATA);
  const [lastUpdate, setLastUpdate] = useState<Date | null>(null);

  // The socket effect reads the limit through a ref, so a new limit does not reconnect.
  const limitRef = useRef(historyLimit);
  const schedulePublishRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    limitRef.current = historyLimit;
    schedulePublishRef.current?.();
  }, [historyLimit]);

  useEffect(() => {
    const ignoredTypes = new Set<string>();
    let held: readonly LiveReading[] = [];
    let pending: LiveReading[] = [];
    let nextSeq = 1;
    let thinned = 0;
    let newestEventMs: number | null = null;
    let socket: WebSocket | null = null;
    let reconnectTimer: number | undefined;
    let frameRequest: number | undefined;
    let publishTimer: number | undefined;
    let lastPublishMs = 0;
    let failedAttempts = 0;
    let lastArrival: Date | null = null;

    const publish = () => {
      frameRequest = undefined;
      lastPublishMs = performance.now();
      const combined = pending.length > 0 ? held.concat(pending) : held;
      pending = [];
      held = applyHistoryLimit(combined, limitRef.current, newestEventMs);
      setData({ readings: held, thinned, newestEventMs });
      setLastUpdate(lastArrival);
    };

    const requestFrame = () => {
      publishTimer = undefined;
      frameRequest ??= window.requestAnimationFrame(publish);
    };

    const schedulePublish = () => {
      if (frameRequest !== undefined || publishTimer !== undefined) {
        return;
      }
      const large = held.length + pending.length >= LARGE_FEED_READINGS;
      const waitMs = large ? lastPublishMs + LARGE_FEED_PUBLISH_INTERVAL_MS - performance.now() : 0;
      if (waitMs > 0) {
        publishTimer = window.setTimeout(requestFrame, waitMs);
      } else {
        requestFrame();
      }
    };
    schedulePublishRef.current = schedulePublish;

    const addReadings = (readings: readonly Reading[]) => {
      for (const reading of readings) {
        // Adding the property to the freshly parsed object keeps it a fast
        // object in V8; a spread copy of 19 properties made every loop over
        // 100,000 held readings several times slower (measured in Node 20).
        pending.push(Object.assign(reading, { seq: nextSeq }));
        nextSeq += 1;
      }
      // Hidden tabs get no animation frames, so bound what waits for one.
      if (pending.length > MAX_HELD_READINGS) {
        pending = pending.slice(pending.length - MAX_HELD_READINGS);
      }
      newestEventMs = newestEventTime(readings, newestEventMs);
      lastArrival = new Date();
      schedulePublish();
    };

    const handleMessage = (event: MessageEvent<unknown>) => {
      const result = parseFeedMessage(event.data);
      if (!result.ok) {
        console.error(`live feed ${url}: dropped a frame: ${result.error}`);
        return;
      }

      const message = result.value;
      if (message.type === 'ignored') {
        if (!ignoredTypes.has(message.messageType)) {
          ignoredTypes.add(message.messageType);
          console.info(`live feed ${url}: ignoring messages of unknown type "${message.messageType}"`);
        }
        return;
      }

      if (message.rejected.length > 0) {
        logRejected(url, message.rejected, message.readings.length + message.rejected.length);
      }
      if (message.thinned > 0) {
        thinned += message.thinned;
        schedulePublish();
      }
      const fresh =
        message.type === 'history' ? dropKnownReadings(held.concat(pending), message.readings) : message.readings;
      if (fresh.length > 0) {
        addReadings(fresh);
      }
    };

    const handleOpen = () => {
      failedAttempts = 0;
      setStatus('live');
    };

    const handleClose = (event: CloseEvent) => {
      socket = null;
      const delayMs = reconnectDelayMs(failedAttempts);
      failedAttempts += 1;
      setStatus('reconnecting');
      console.warn(
        `live feed ${url}: connection closed (code ${event.code}); reconnect attempt ${failedAttempts} in ${delayMs} ms`,
      );
      reconnectTimer = window.setTimeout(connect, delayMs);
    };

    // The browser hides the cause of a WebSocket error, and a close event
    // always follows, so handleClose logs and schedules the retry.
    function connect() {
      reconnectTimer = undefined;
      socket = new WebSocket(url);
      socket.addEventListener('open', handleOpen);
      socket.addEventListener('message', handleMessage);
      socket.addEventListener('close', handleClose);
    }

    connect();

    return () => {
      schedulePublishRef.current = null;
      window.clearTimeout(reconnectTimer);
      window.clearTimeout(publishTimer);
      if (frameRequest !== undefined) {
        window.cancelAnimationFrame(frameRequest);
      }
      if (socket !== null) {
        socket.removeEventListener('open', handleOpen);
        socket.removeEventListener('message', handleMessage);
        socket.removeEventListener('close', handleClose);
        socket.close();
      }
    };
  }, [url]);

  return { status, data, lastUpdate };
}
