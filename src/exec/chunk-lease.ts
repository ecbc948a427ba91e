// Output batches the PTY reader thread lends to the event loop: each goes back to the thread for reuse once
// nothing holds it. A fresh buffer per batch counted as V8 external memory until a garbage collection freed it,
// and the 27 MB of a flood made V8 run two to four full collections in it, though nothing kept the batches.
//
// The rule for whoever receives a lent chunk (a data listener of a child spawned with `leasedOutput`): a view
// kept past the call that handed it over is declared with `hold` and given up with `letGo`; a consumer that
// cannot say when it is done (deltas for arbitrary listeners) `pin`s the batch, which then is never reused.
// Chunks that are not lent make these calls no-ops, so consumers need not know where a chunk came from.

interface Lease {
  holds: number;
  pinned: boolean;
  giveBack: (bytes: ArrayBuffer) => void;
}

const leases = new WeakMap<ArrayBufferLike, Lease>();

/** Lends `bytes`; the lender holds it until its own `letGo`. `giveBack` gets it once nobody holds it. */
export function lend(bytes: ArrayBuffer, giveBack: (bytes: ArrayBuffer) => void): void {
  leases.set(bytes, { holds: 1, pinned: false, giveBack });
}

/** `view` is kept after the call that handed it over. */
export function hold(view: Uint8Array): void {
  const lease = leases.get(view.buffer);
  if (lease) lease.holds++;
}

/** One hold on `view`'s batch ends; the last one gives the batch back (unless it is pinned). */
export function letGo(view: Uint8Array): void {
  const lease = leases.get(view.buffer);
  if (!lease || --lease.holds > 0) return;
  leases.delete(view.buffer);
  if (!lease.pinned) lease.giveBack(view.buffer as ArrayBuffer);
}

/** `view`'s batch may be kept by someone who will not say when it is done: it is never given back. */
export function pin(view: Uint8Array): void {
  const lease = leases.get(view.buffer);
  if (lease) lease.pinned = true;
}
