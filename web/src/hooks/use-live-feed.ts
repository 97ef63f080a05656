import { useEffect, useState } from 'react';

import { buildFeedUrl } from '../api/endpoints';
import { type Reading, type RejectedRecord, parseFeedMessage } from '../api/messages';
import { reconnectDelayMs } from '../lib/backoff';
import { BoundedHistory } from '../lib/bounded-history';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** Readings kept in memory; past this count the oldest are dropped. */
export const MAX_READINGS = 50_000;

/** Invalid records logged one by one per frame; the rest are only counted. */
const MAX_LOGGED_REJECTIONS = 3;

export interface LiveFeedData {
  /** Kept readings, oldest first. Each update brings a new array. */
  readings: readonly Reading[];
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
  maxReadings?: number;
}

const EMPTY_DATA: LiveFeedData = { readings: [] };

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
 * connection closes, and keeps the newest `maxReadings` readings. New
 * readings reach React state at most once per animation frame, however many
 * WebSocket messages arrive in between.
 */
export function useLiveFeed(options: LiveFeedOptions = {}): LiveFeed {
  const url = options.url ?? buildFeedUrl(window.location);
  const maxReadings = options.maxReadings ?? MAX_READINGS;

  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [data, setData] = useState<LiveFeedData>(EMPTY_DATA);
  const [lastUpdate, setLastUpdate] = useState<Date | null>(null);

  useEffect(() => {
    const history = new BoundedHistory<Reading>(maxReadings);
    const ignoredTypes = new Set<string>();
    let socket: WebSocket | null = null;
    let reconnectTimer: number | undefined;
    let frameRequest: number | undefined;
    let failedAttempts = 0;
    let lastArrival: Date | null = null;

    const publish = () => {
      frameRequest = undefined;
      setData({ readings: history.toArray() });
      setLastUpdate(lastArrival);
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
      if (message.readings.length === 0) {
        return;
      }
      history.push(message.readings);
      lastArrival = new Date();
      frameRequest ??= window.requestAnimationFrame(publish);
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
      window.clearTimeout(reconnectTimer);
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
  }, [url, maxReadings]);

  return { status, data, lastUpdate };
}
