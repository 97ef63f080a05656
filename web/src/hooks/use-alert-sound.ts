import { useEffect, useRef } from 'react';

/** Pitch, length and loudness of the alert beep. */
const BEEP_FREQUENCY_HZ = 880;
const BEEP_DURATION_S = 0.15;
const BEEP_GAIN = 0.2;

/** Beeps at most this often, however many alerts arrive. */
const MIN_BEEP_INTERVAL_MS = 1_000;

function playBeep(context: AudioContext): void {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  const start = context.currentTime;
  oscillator.type = 'sine';
  oscillator.frequency.value = BEEP_FREQUENCY_HZ;
  // A short fade in and out avoids clicks at both ends.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(BEEP_GAIN, start + 0.01);
  gain.gain.linearRampToValueAtTime(0, start + BEEP_DURATION_S);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(start);
  oscillator.stop(start + BEEP_DURATION_S);
}

/**
 * Beeps through WebAudio when a newer alert than any before appears while
 * `enabled` is true. Alerts present when the sound is turned on stay
 * silent. `newestAlertSeq` is the `seq` of the newest undismissed alert.
 */
export function useAlertSound(newestAlertSeq: number | null, enabled: boolean): void {
  const contextRef = useRef<AudioContext | null>(null);
  const heardSeqRef = useRef(0);
  const lastBeepMsRef = useRef(0);
  // Read by the switch effect, so that only turning the sound on marks the current alerts as heard.
  const newestAlertSeqRef = useRef(newestAlertSeq);
  newestAlertSeqRef.current = newestAlertSeq;

  useEffect(() => {
    if (!enabled) {
      return;
    }
    // Browsers allow audio only after a user gesture, and turning the sound
    // on is one, so the context is created here.
    if (contextRef.current === null) {
      try {
        contextRef.current = new AudioContext();
      } catch (error) {
        console.error('alerts: failed to start WebAudio for the alert sound:', error);
        return;
      }
    }
    void contextRef.current.resume();
    heardSeqRef.current = Math.max(heardSeqRef.current, newestAlertSeqRef.current ?? 0);
  }, [enabled]);

  useEffect(() => {
    const context = contextRef.current;
    if (!enabled || context === null || newestAlertSeq === null || newestAlertSeq <= heardSeqRef.current) {
      return;
    }
    heardSeqRef.current = newestAlertSeq;
    const now = performance.now();
    if (now - lastBeepMsRef.current < MIN_BEEP_INTERVAL_MS) {
      return;
    }
    lastBeepMsRef.current = now;
    playBeep(context);
  }, [newestAlertSeq, enabled]);

  useEffect(() => {
    return () => {
      void contextRef.current?.close();
      contextRef.current = null;
    };
  }, []);
}
