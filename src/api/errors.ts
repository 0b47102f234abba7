import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface AsyncState<T> {
  loading: boolean;
  value?: T;
  error?: Error;
  /** Runs the function again (after an action changed what it reads). */
  reload: () => void;
}

/** Normalises what a failed request rejects with (Error, Grafana FetchError, string) to an Error. */
export function toError(err: unknown): Error {
  if (err instanceof Error) {
    return err;
  }
  if (err && typeof err === 'object') {
    const e = err as {
      data?: { error?: string; message?: string; hint?: string };
      message?: string;
      status?: number;
      statusText?: string;
    };
    const msg = e.data?.error ?? e.data?.message ?? e.message ?? e.statusText;
    if (msg) {
      const withHint = e.data?.hint ? `${msg} — ${e.data.hint}` : msg;
      return new Error(e.status ? `${withHint} (HTTP ${e.status})` : withHint);
    }
  }
  return new Error(typeof err === 'string' ? err : 'Unknown error');
}

/** Runs an async function when its dependencies change and keeps its latest result. */
export function useAsync<T>(fn: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ loading: boolean; value?: T; error?: Error }>({ loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(
    () => {
      let current = true;
      // Show loading again when the inputs change or a reload is asked for, not only the first time.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setState((s) => ({ ...s, loading: true }));
      fn().then(
        (value) => current && setState({ loading: false, value }),
        (err) => current && setState({ loading: false, error: toError(err) })
      );
      // A newer run (or unmount) makes the result of this one stale.
      return () => {
        current = false;
      };
    },
    // The caller's deps decide when fn changes meaning, as with useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...deps, generation]
  );

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
