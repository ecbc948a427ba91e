// Process ids handed to users and clients: random, short enough to type, never reused while reserved.

export const MIN_PROCESS_ID = 1000;
export const MAX_PROCESS_ID = 100_000; // exclusive

export class ProcessIdAllocator {
  private readonly reserved = new Set<number>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Reserves a fresh id; it stays taken until `release`. */
  allocate(): number {
    const span = MAX_PROCESS_ID - MIN_PROCESS_ID;
    if (this.reserved.size >= span) throw new Error('no process ids left');
    for (;;) {
      const id = MIN_PROCESS_ID + Math.floor(this.random() * span);
      if (!this.reserved.has(id)) {
        this.reserved.add(id);
        return id;
      }
    }
  }

  release(id: number): void {
    this.reserved.delete(id);
  }
}
