// Holds what Ink writes while the terminal shows something else (the alternate screen of an attached terminal),
// and writes it, in order, once the main screen is back. While attached the app renders no live region and the
// transcript waits, so Ink has next to nothing to write (an empty frame, a resize); the cap only guards against
// the unforeseen.
const MAX_HELD_BYTES = 256 * 1024;

export class OutputHold {
  private held: string[] = [];
  private heldBytes = 0;
  private active = false;
  private watchers: ((data: string) => void)[] = [];
  private sink: ((data: string) => void) | null = null;

  /** Where released writes go (the stdout wrapper that Ink writes to sets it). */
  setSink(sink: (data: string) => void): void {
    this.sink = sink;
  }

  /** Whether writes are being held. */
  get holding(): boolean {
    return this.active;
  }

  start(): void {
    this.active = true;
  }

  /** Stops holding and writes what was held, in order. */
  release(): void {
    this.active = false;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const data of held) this.sink?.(data);
  }

  /** Sees a write of Ink's; true when it was held (not to be written now). */
  intercept(data: string): boolean {
    for (const w of this.watchers) w(data);
    if (!this.active) return false;
    this.held.push(data);
    this.heldBytes += data.length;
    // Oldest first: Ink's later writes erase what its earlier frames drew, so losing the oldest costs least.
    while (this.heldBytes > MAX_HELD_BYTES && this.held.length > 1) this.heldBytes -= this.held.shift()!.length;
    return true;
  }

  /** Resolves at Ink's next write that `match` accepts, or after `timeoutMs` (it may have written it already). */
  next(match: (data: string) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== watch);
        resolve();
      };
      const watch = (data: string): void => {
        if (match(data)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.watchers.push(watch);
    });
  }
}
