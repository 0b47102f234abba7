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
