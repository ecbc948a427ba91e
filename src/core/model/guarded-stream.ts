// Runs one streaming request with the guards every provider needs: the caller's abort signal ends it at once
// (also during the SDK's retry back-off), a stream with no event for streamIdleTimeoutMs is cut, and every
// failure leaves as a ProviderError. It also gives the event loop a turn now and then while events arrive
// back to back, because the TUI shares the thread: a fast stream must not keep keystrokes and frames waiting.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { APIError } from 'openai';
import { abortedError, idleTimeoutError, streamDisconnectedError, toProviderError } from './provider-errors.js';
import type { ErrorContext } from './provider-errors.js';

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the promise's later failure is ignored). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Work the stream may do back to back before the event loop gets a turn. */
const SLICE_MS = 8;

/** Measures how long the loop has been kept busy: the slice starts over whenever the loop gets a turn. */
class Slice {
  private start = performance.now();
  private watching = false;

  /** Resolves at once, or after a turn of the event loop once this slice has run out. */
  async pass(): Promise<void> {
    if (!this.watching) {
      this.watching = true;
      setImmediate(() => {
        this.watching = false;
        this.start = performance.now();
      });
    }
    if (performance.now() - this.start >= SLICE_MS) await nextTurn();
  }
}

/**
 * Opens the stream with `open` (given the signal to pass to the SDK) and yields its events. The stream's own
 * end is returned as is: deciding whether it ended complete is the caller's job.
 */
export async function* guardedStream<T>(
  ctx: ErrorContext,
  signal: AbortSignal,
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
): AsyncGenerator<T, void, undefined> {
  if (signal.aborted) throw abortedError(ctx);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let idle = false;
  // One timer, refreshed on every event (cheaper than a new one per event); it does not count the time the
  // caller spends on an event, which is not the server's idleness.
  let paused = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    paused = false;
    if (timer) timer.refresh();
    else
      timer = setTimeout(function idleOut() {
        if (paused) timer!.refresh();
        else {
          idle = true;
          controller.abort();
        }
      }, ctx.config.streamIdleTimeoutMs);
  };
  const slice = new Slice();
  // Why the stream stopped, when it was us who stopped it.
  const ourAbort = () => (idle ? idleTimeoutError(ctx) : signal.aborted ? abortedError(ctx) : null);
  try {
    let stream: AsyncIterable<T>;
    try {
      // The SDK's own timeout (streamIdleTimeoutMs per attempt) covers the wait for response headers.
      stream = await untilAborted(open(controller.signal), controller.signal);
    } catch (err) {
      throw ourAbort() ?? toProviderError(err, ctx, signal);
    }
    arm();
    const iterator = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (err) {
        const ours = ourAbort();
        if (ours) throw ours;
        // The SDK raises APIError for an error object inside the stream and SyntaxError for an event that is
        // not JSON; anything else is the transport failing.
        if (err instanceof APIError || err instanceof SyntaxError) throw toProviderError(err, ctx, signal);
        throw streamDisconnectedError(ctx, err instanceof Error ? describeCut(err) : String(err));
      }
      // The SDK ends the stream quietly when its request is aborted.
      const ours = ourAbort();
      if (ours) throw ours;
      if (next.done) return;
      paused = true;
      yield next.value;
      await slice.pass();
      arm();
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

/** undici reports a cut body as "terminated" with the socket error as its cause. */
function describeCut(err: Error): string {
  const cause = err.cause instanceof Error ? err.cause.message : null;
  return cause ? `${err.message}: ${cause}` : err.message;
}
