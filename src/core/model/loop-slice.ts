// Cooperative scheduling for work that arrives back to back (a model streaming as fast as the network allows):
// after SLICE_MS of it, the event loop gets a turn, because the TUI shares the thread and keystrokes and
// frames must not wait behind a fast stream.
import { setImmediate as nextTurn } from 'node:timers/promises';

const SLICE_MS = 8;

export class LoopSlice {
  private start = performance.now();
  private watching = false;

  /** Null while the slice lasts; once it has run out, a promise that resolves after a turn of the event loop. */
  due(): Promise<void> | null {
    if (!this.watching) {
      // When the loop gets a turn on its own (waiting for the network), the slice starts over.
      this.watching = true;
      setImmediate(() => {
        this.watching = false;
        this.start = performance.now();
      });
    }
    return performance.now() - this.start >= SLICE_MS ? nextTurn() : null;
  }
}
