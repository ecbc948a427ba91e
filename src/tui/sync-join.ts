// Ink brackets each frame in synchronized-update markers and writes them apart: begin, the frame, end. Each write
// to a terminal is a system call that wakes the terminal's reader, so a frame cost three; during a flood with
// typing that was ~90 a second, next to the child's writes. This joins such a bracket into one write.
const BEGIN = '\x1b[?2026h';
const END = '\x1b[?2026l';

export class SyncJoin {
  private pending: string | null = null;

  constructor(private readonly out: (data: string) => void) {}

  write(data: string): void {
    if (this.pending === null) {
      if (data !== BEGIN) return this.out(data);
      this.pending = data;
      // Ink writes the end marker in the same turn; should it not, nothing waits past this one.
      queueMicrotask(() => this.flush());
      return;
    }
    this.pending += data;
    if (data === END) this.flush();
  }

  /** Writes what is gathered; before anything that must not overtake it (a write with a callback, a buffer). */
  flush(): void {
    if (this.pending === null) return;
    const data = this.pending;
    this.pending = null;
    this.out(data);
  }
}
