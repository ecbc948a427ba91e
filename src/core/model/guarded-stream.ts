// Runs one streaming request with the guards every provider needs: the caller's abort signal ends it at once
// (also during the SDK's retry back-off), a stream with no event for streamIdleTimeoutMs is cut, and every
// failure leaves as a ProviderError. It also gives the event loop a turn now and then (loop-slice.ts).
//
// A plain iterator rather than an async generator: a model sends tens of thousands of events per answer, and
// each layer of generator machinery costs several promise hops per event.
import { APIError } from 'openai';
import { LoopSlice } from './loop-slice.js';
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

/**
 * Opens the stream with `open` (given the signal to pass to the SDK) and yields its events. The stream's own
 * end is returned as is: deciding whether it ended complete is the caller's job.
 */
export function guardedStream<T>(ctx: ErrorContext, signal: AbortSignal, open: (signal: AbortSignal) => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => new GuardedIterator(ctx, signal, open) };
}

class GuardedIterator<T> implements AsyncIterator<T, void> {
  private readonly controller = new AbortController();
  private readonly onAbort = (): void => this.controller.abort();
  private inner: AsyncIterator<T> | null = null;
  private idle = false;
  /** Set while the caller works on an event: that time is not the server's idleness. */
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly slice = new LoopSlice();

  constructor(
    private readonly ctx: ErrorContext,
    private readonly signal: AbortSignal,
    private readonly open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  async next(): Promise<IteratorResult<T, void>> {
    if (this.finished) return { done: true, value: undefined };
    try {
      if (!this.inner) this.inner = await this.start();
      else {
        const wait = this.slice.due();
        if (wait) await wait;
      }
      this.arm();
      let next: IteratorResult<T>;
      try {
        next = await this.inner.next();
      } catch (err) {
        // The SDK raises APIError for an error object inside the stream and SyntaxError for an event that is
        // not JSON; anything else is the transport failing.
        throw (
          this.ourAbort() ??
          (err instanceof APIError || err instanceof SyntaxError
            ? toProviderError(err, this.ctx, this.signal)
            : streamDisconnectedError(this.ctx, err instanceof Error ? describeCut(err) : String(err)))
        );
      }
      // The SDK ends the stream quietly when its request is aborted.
      const ours = this.ourAbort();
      if (ours) throw ours;
      if (next.done) {
        this.finish();
        return { done: true, value: undefined };
      }
      this.paused = true;
      return next;
    } catch (err) {
      this.finish();
      throw err;
    }
  }

  /** The caller stopped early (break, or an exception in its loop). */
  return(): Promise<IteratorResult<T, void>> {
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  private async start(): Promise<AsyncIterator<T>> {
    if (this.signal.aborted) throw abortedError(this.ctx);
    try {
      // The SDK's own timeout (streamIdleTimeoutMs per attempt) covers the wait for response headers.
      const stream = await untilAborted(this.open(this.controller.signal), this.controller.signal);
      return stream[Symbol.asyncIterator]();
    } catch (err) {
      throw this.ourAbort() ?? toProviderError(err, this.ctx, this.signal);
    }
  }

  /** One timer for the whole stream, refreshed on every event (cheaper than a new one per event). */
  private arm(): void {
    this.paused = false;
    if (this.timer) this.timer.refresh();
    else
      this.timer = setTimeout(() => {
        if (this.paused) this.timer!.refresh();
        else {
          this.idle = true;
          this.controller.abort();
        }
      }, this.ctx.config.streamIdleTimeoutMs);
  }

  /** Why the stream stopped, when it was us who stopped it. */
  private ourAbort(): Error | null {
    return this.idle ? idleTimeoutError(this.ctx) : this.signal.aborted ? abortedError(this.ctx) : null;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.controller.abort();
  }
}

/** undici reports a cut body as "terminated" with the socket error as its cause. */
function describeCut(err: Error): string {
  const cause = err.cause instanceof Error ? err.cause.message : null;
  return cause ? `${err.message}: ${cause}` : err.message;
}
