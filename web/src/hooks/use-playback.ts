import { useCallback, useEffect, useRef, useState } from 'react';

import { fetchPlaybackSpeed, postPlaybackSpeed } from '../api/playback-client';

/** A playback request still pending after this long is aborted. */
export const PLAYBACK_REQUEST_TIMEOUT_MS = 5_000;

export interface Playback {
  /** Speed the server reported last; null until it has. */
  speed: number | null;
  /** Message of the latest failed request; null after a success. */
  error: string | null;
  /** True while a POST is pending. */
  saving: boolean;
  /** Asks the server to change the speed. */
  setSpeed: (speed: number) => void;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout(controller: AbortController, method: string): number {
  return window.setTimeout(() => {
    controller.abort(new Error(`${method} /api/playback timed out after ${PLAYBACK_REQUEST_TIMEOUT_MS} ms`));
  }, PLAYBACK_REQUEST_TIMEOUT_MS);
}

/** Reads the ingest playback speed once and sets it on request. */
export function usePlayback(): Playback {
  const [speed, setSpeedState] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const pendingRef = useRef<AbortController | null>(null);

  useEffect(() => {
    let disposed = false;
    const controller = new AbortController();
    const timer = withTimeout(controller, 'GET');
    fetchPlaybackSpeed(controller.signal)
      .then((current) => {
        if (disposed) return;
        setSpeedState(current);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (disposed) return;
        const message = describeError(reason);
        console.error(`playback: ${message}`);
        setError(message);
      })
      .finally(() => window.clearTimeout(timer));

    return () => {
      disposed = true;
      window.clearTimeout(timer);
      controller.abort();
      pendingRef.current?.abort();
      pendingRef.current = null;
    };
  }, []);

  const setSpeed = useCallback((requested: number) => {
    pendingRef.current?.abort();
    const controller = new AbortController();
    pendingRef.current = controller;
    const timer = withTimeout(controller, 'POST');
    setSaving(true);

    postPlaybackSpeed(requested, controller.signal)
      .then((applied) => {
        setSpeedState(applied);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (pendingRef.current !== controller) return;
        const message = describeError(reason);
        console.error(`playback: setting speed ${requested} failed: ${message}`);
        setError(message);
      })
      .finally(() => {
        window.clearTimeout(timer);
        if (pendingRef.current === controller) {
          pendingRef.current = null;
          setSaving(false);
        }
      });
  }, []);

  return { speed, error, saving, setSpeed };
}
