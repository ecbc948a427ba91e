// Long runs of synchronous /proc reads give the event loop a turn now and then, so that keystrokes and output
// are never held up by more than a few of them.

/** Returns a function to await before each step: every `n`th call waits for the next turn of the event loop. */
export function yieldEvery(n: number): () => Promise<void> {
  let count = 0;
  return () => (++count % n === 0 ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
}
