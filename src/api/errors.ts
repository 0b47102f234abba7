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
      // The status leads: messages may end in their own parentheses, which a suffix would nest.
      return new Error(e.status ? `HTTP ${e.status}: ${withHint}` : withHint);
    }
  }
  return new Error(typeof err === 'string' ? err : 'Unknown error');
}
