import { useCallback, useEffect, useRef, useState } from 'react';

import { PlatformLensApi } from '../../api/platformlens';
import { DemoJob } from '../../api/types';
import { toError } from '../../api/errors';

/** How often a running demo load is polled (GET /demo). */
export const DEMO_POLL_MS = 1000;

export interface DemoJobState {
  /** The load this page started or found running; undefined before. */
  job?: DemoJob;
  /** Starting failed, or polling lost track of the load. */
  error?: Error;
  /** A load is being started or is running (and still tracked). */
  busy: boolean;
  start: (tier: string, seed: number) => Promise<void>;
}

/**
 * Starts background demo loads and follows them: the backend answers POST /demo at once (tier M
 * takes minutes, longer than Grafana's proxy waits), so progress comes from polling GET /demo
 * every DEMO_POLL_MS while the job runs. onFinished is called once when a followed load is done.
 */
export function useDemoJob(api: PlatformLensApi, onFinished: () => void): DemoJobState {
  const [job, setJob] = useState<DemoJob>();
  const [error, setError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  // A ref, so a parent passing a new callback each render does not restart the poll timer.
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  // Pick up a load that is already running (page reloaded, started in another tab).
  useEffect(() => {
    let current = true;
    api.demoJob().then(
      (j) => current && j?.state === 'running' && setJob((mine) => mine ?? j),
      () => undefined // no demo route or database down: the status section reports that
    );
    return () => {
      current = false;
    };
  }, [api]);

  const running = job?.state === 'running' && !error;
  useEffect(() => {
    if (!running) {
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const next = await api.demoJob();
        if (!current) {
          return;
        }
        if (!next || next.id !== job?.id) {
          // The instance was replaced (settings saved) and its jobs with it.
          setError(new Error(`job ${job?.id} is no longer known to the data source`));
          return;
        }
        setJob(next);
        if (next.state === 'done') {
          finished.current();
        }
      } catch (err) {
        if (current) {
          setError(toError(err));
        }
      }
    }, DEMO_POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Every new snapshot of the job schedules the next poll.
  }, [api, job, running]);

  const start = useCallback(
    async (tier: string, seed: number) => {
      setStarting(true);
      setError(undefined);
      setJob(undefined);
      try {
        setJob(await api.startDemo(tier, seed));
      } catch (err) {
        setError(toError(err));
      } finally {
        setStarting(false);
      }
    },
    [api]
  );

  return { job, error, busy: starting || running, start };
}
