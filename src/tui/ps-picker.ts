// The interactive /ps (`/ps -i`, Ctrl+T): the thread's terminals in the live region, refreshed once a second
// while open. ↑/↓ choose, Enter attaches, `s` asks "Stop [id] cmd? y/n" and then stops it with the verified
// report /stop prints, Esc closes.
import type { Key } from 'ink';
import type { CorralClient } from '../protocol/client.js';
import type { BackgroundTerminalData, Result } from '../protocol/shapes.js';
import { type Cell, cellId } from './cells.js';
import type { TuiState } from './state.js';

const REFRESH_MS = 1000;

export class PsPicker {
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(
    private readonly client: CorralClient,
    private readonly state: TuiState,
    private readonly attach: (processId: string) => void,
    private readonly append: (...cells: Cell[]) => void,
  ) {}

  get isOpen(): boolean {
    return this.state.picker.get().open;
  }

  open(): void {
    if (this.isOpen) return;
    this.state.picker.set({ open: true, terminals: [], selected: null, confirmStop: null, error: null });
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.seq++; // a refresh in flight is dropped
    this.state.picker.set({ open: false, terminals: [], selected: null, confirmStop: null, error: null });
  }

  key(input: string, key: Key): void {
    const p = this.state.picker.get();
    if (p.confirmStop !== null) {
      const id = p.confirmStop;
      this.state.picker.set({ ...p, confirmStop: null });
      if (!key.ctrl && input.toLowerCase() === 'y') void this.stop(id);
      return;
    }
    if (key.escape || (key.ctrl && input === 'c')) return this.close();
    if (key.upArrow || key.downArrow) return this.move(key.upArrow ? -1 : 1);
    if (p.selected === null) return;
    if (key.return) {
      this.close();
      this.attach(p.selected);
      return;
    }
    if (!key.ctrl && input === 's') {
      const t = p.terminals.find((x) => x.processId === p.selected);
      if (t && t.status === 'running' && !t.stopping) this.state.picker.set({ ...p, confirmStop: t.processId });
    }
  }

  private move(by: number): void {
    this.state.picker.set((p) => {
      const n = p.terminals.length;
      if (n === 0) return p;
      const at = Math.max(0, p.terminals.findIndex((t) => t.processId === p.selected));
      return { ...p, selected: p.terminals[(at + by + n) % n]!.processId };
    });
  }

  private async refresh(): Promise<void> {
    const seq = this.seq;
    try {
      const all: BackgroundTerminalData[] = [];
      let cursor: string | null = null;
      do {
        const page: Result<'thread/backgroundTerminals/list'> = await this.client.request('thread/backgroundTerminals/list', {
          threadId: this.state.status.get().threadId,
          cursor,
          limit: 100,
        });
        all.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor !== null);
      if (seq !== this.seq || !this.isOpen) return;
      this.state.picker.set((p) => ({
        ...p,
        terminals: all,
        // The selection stays on its terminal while it is listed; otherwise the first one.
        selected: all.some((t) => t.processId === p.selected) ? p.selected : (all[0]?.processId ?? null),
        error: null,
      }));
    } catch (err) {
      if (seq === this.seq && this.isOpen) this.state.picker.set((p) => ({ ...p, error: (err as Error).message }));
    }
  }

  private async stop(processId: string): Promise<void> {
    try {
      const { report } = await this.client.request('thread/backgroundTerminals/terminate', {
        threadId: this.state.status.get().threadId,
        processId,
      });
      this.append({
        kind: 'stop',
        id: cellId('stop'),
        all: false,
        // Gone between the list and the stop: say so rather than pretend.
        lines: [report ? { kind: 'stopped', report } : { kind: 'not-found', query: processId }],
      });
    } catch (err) {
      this.append({ kind: 'error', id: cellId('error'), text: (err as Error).message });
    }
    await this.refresh();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
