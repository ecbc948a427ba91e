// The reader thread asks the kernel for a short time slice (patches/node-pty+1.1.0.patch adds `requestSlice` to
// node-pty's addon, since Node has no binding for sched_setattr). Under Linux's EEVDF scheduler (6.12 and later)
// a thread with a shorter slice gets an earlier deadline when it wakes, so it runs at once instead of queueing
// behind the event loop, V8's helpers and the writer itself. Its share of the CPU is unchanged and no privilege is
// needed; earlier kernels accept the request and ignore it. Only the reader thread asks: children are spawned
// from the main thread and keep the default.
import { createRequire } from 'node:module';

/** The shortest slice the kernel grants (0.1 ms); the default is 0.7 ms times 1 + log2 of the CPUs (at most 8). */
export const READER_SLICE_NS = 100_000;

/** What the thread needs to ask: where node-pty's loader is (it finds the addon), and the slice. */
export interface SliceRequest {
  ptyUtils: string;
  ns: number;
}

export function readerSlice(): SliceRequest | null {
  try {
    return { ptyUtils: createRequire(import.meta.url).resolve('node-pty/lib/utils'), ns: READER_SLICE_NS };
  } catch {
    return null; // no node-pty: no terminals either
  }
}
