// Attach: one of the thread's terminals full-screen, on the alternate screen of corral's own terminal, with the
// keyboard going to the process (attach-keys.ts). The main screen is left exactly as it was: the app first
// renders no live region (the transcript waits meanwhile), then Ink's writes are held (output-hold.ts) and stdin
// is diverted away from Ink (stdin-gate.ts) until detach. The view polls the screen ~30 times a second and
// redraws only when its revision moved on; the title's figures are refreshed once a second.
import type { CorralClient } from '../protocol/client.js';
import type { BackgroundTerminalData, Result } from '../protocol/shapes.js';
import type { TerminalReadData } from '../protocol/terminal-shapes.js';
import { attachActions } from './attach-keys.js';
import { attachWindow } from './attach-window.js';
import type { OutputHold } from './output-hold.js';
import { splitErase } from './reflow-guard.js';
import type { TuiState } from './state.js';
import type { StdinGate } from './stdin-gate.js';
import { type Store, createStore } from './store.js';

/** What the title bar shows (ports, name, URL and log come with a background terminal's record). */
export interface AttachTitle {
  processId: string;
  command: string;
  osPid: number | null;
  cpuPercent: number | null;
  rssKb: number | null;
  status: string;
  ports?: number[];
  name?: string | null;
  url?: string | null;
  logPath?: string | null;
}

export interface AttachView {
  title: AttachTitle;
  screen: TerminalReadData;
  /** Rows scrolled back from the live screen. */
  scroll: number;
  /** The process is gone (stopped, or exited and cleaned up): the last screen stays until detach. */
  gone: boolean;
  /** The model waits for the person's approval, which is answered in the conversation. */
  approvalWaiting?: boolean;
}

export interface AttachHost {
  /** Straight to the terminal, past Ink. */
  write(data: string): void;
  size(): { rows: number; cols: number };
  hold: OutputHold;
  stdin: StdinGate;
  /** The whole view as terminal text (components/AttachScreen.tsx). */
  frame(view: AttachView, size: { rows: number; cols: number }): string;
  /** The size the thread's terminals are shown at, given back on detach. */
  terminalSize(): { rows: number; cols: number };
}

/** Rows taken by the title bar and the hint line. */
export const ATTACH_CHROME_ROWS = 2;
const FRAME_MS = 33;
/** Polls without a change after which only every third one reads (a quiet screen is read 10 times a second). */
const QUIET_TICKS = 30;
const TITLE_MS = 1000;
/** Alternate screen on, SGR mouse reports on (the wheel scrolls), screen cleared. */
const ENTER = '\x1b[?1049h\x1b[?1000h\x1b[?1006h\x1b[H\x1b[2J';
/** Mouse reports off, attributes reset, main screen back; Ink keeps the cursor hidden. Also for exit handlers. */
export const ATTACH_LEAVE = '\x1b[?1006l\x1b[?1000l\x1b[0m\x1b[?1049l\x1b[?25l';

export function viewRows(size: { rows: number }): number {
  return Math.max(1, size.rows - ATTACH_CHROME_ROWS);
}

function statusText(t: BackgroundTerminalData | undefined, screen: TerminalReadData): string {
  // The screen is read 30 times a second, the record once: an exit shows at once.
  if (!t || (t.status === 'running' && screen.status === 'exited')) return screen.status === 'running' ? 'running in the foreground' : 'exited';
  if (t.stopping) return 'stopping';
  if (t.status === 'running') return t.waitingForInput ? 'waiting for input' : 'running';
  return t.signal ? `exited (${t.signal})` : `exited (code ${t.exitCode ?? '?'})`;
}

export class AttachMode {
  readonly view: Store<AttachView | null> = createStore<AttachView | null>(null);
  private processId: string | null = null;
  private record: BackgroundTerminalData | undefined;
  private frameTimer: NodeJS.Timeout | null = null;
  private titleTimer: NodeJS.Timeout | null = null;
  private reading = false;
  private lastFrame = '';
  private quietTicks = 0;
  private offApproval: (() => void) | null = null;

  constructor(
    private readonly client: CorralClient,
    private readonly state: TuiState,
    private readonly host: AttachHost,
  ) {}

  get active(): boolean {
    return this.processId !== null;
  }

  private get threadId(): string {
    return this.state.status.get().threadId;
  }

  /** Shows the process full-screen; rejects (nothing changed on screen) when the thread has no such process. */
  async attach(processId: string): Promise<void> {
    if (this.processId !== null) return;
    const threadId = this.threadId;
    const screen = await this.client.request('thread/backgroundTerminals/read', { threadId, processId });
    this.processId = processId;
    this.record = await this.findRecord(processId);
    // The live region goes first, while Ink may still write; then Ink's writes wait for the main screen.
    const emptyFrame = this.host.hold.next((data) => splitErase(data).rest === '\n', 250);
    this.state.setStatus({ attached: processId });
    await emptyFrame;
    this.host.hold.start();
    this.host.stdin.divert((chunk) => this.input(chunk));
    this.host.write(ENTER);
    this.lastFrame = '';
    const waiting = (): boolean => this.state.live.get().approval !== null;
    this.view.set({ title: this.title(screen), screen, scroll: 0, gone: false, approvalWaiting: waiting() });
    this.offApproval = this.state.live.subscribe(() => {
      const view = this.view.get();
      if (!view || view.approvalWaiting === waiting()) return;
      this.view.set({ ...view, approvalWaiting: waiting() });
      this.draw();
    });
    if (screen.tty && screen.status === 'running') await this.resizeProcess(this.viewSize());
    await this.refresh(true);
    this.quietTicks = 0;
    this.frameTimer = setInterval(() => this.tick(), FRAME_MS);
    this.titleTimer = setInterval(() => void this.refreshTitle(), TITLE_MS);
  }

  /** Back to the conversation: the main screen as it was, Ink's held writes, the live region, the old size. */
  detach(): void {
    const processId = this.processId;
    if (processId === null) return;
    this.processId = null;
    if (this.frameTimer) clearInterval(this.frameTimer);
    if (this.titleTimer) clearInterval(this.titleTimer);
    this.frameTimer = this.titleTimer = null;
    this.offApproval?.();
    this.offApproval = null;
    const view = this.view.get();
    this.view.set(null);
    this.host.stdin.divert(null);
    this.host.write(ATTACH_LEAVE);
    this.host.hold.release();
    this.state.setStatus({ attached: null });
    if (view && view.screen.tty && !view.gone) {
      void this.client
        .request('thread/backgroundTerminals/resize', { threadId: this.threadId, processId, size: this.host.terminalSize() })
        .catch(() => undefined); // it exited meanwhile
    }
  }

  /** corral's terminal was resized: the process gets the new view size, and the view is drawn anew. */
  onResize(): void {
    const view = this.view.get();
    if (!this.active || !view) return;
    if (view.screen.tty && !view.gone) void this.resizeProcess(this.viewSize());
    this.lastFrame = '';
    this.host.write('\x1b[H\x1b[2J');
    void this.refresh(true);
  }

  private viewSize(): { rows: number; cols: number } {
    const size = this.host.size();
    return { rows: viewRows(size), cols: size.cols };
  }

  private async resizeProcess(size: { rows: number; cols: number }): Promise<void> {
    const processId = this.processId;
    if (processId === null) return;
    await this.client.request('thread/backgroundTerminals/resize', { threadId: this.threadId, processId, size }).catch(() => undefined);
  }

  private input(chunk: string): void {
    const view = this.view.get();
    if (!view) return;
    this.quietTicks = 0; // an answer to a key is drawn at the full rate
    // A view-only terminal takes no keys, so Esc and q may leave it too.
    if (!view.screen.writable && (chunk === '\x1b' || chunk === 'q')) return this.detach();
    const size = this.viewSize();
    const actions = attachActions(chunk, {
      pageRows: Math.max(1, size.rows - 1),
      alternateScreen: view.screen.alternateScreen,
      applicationCursorKeys: view.screen.applicationCursorKeys,
    });
    for (const action of actions) {
      if (action.kind === 'detach') return this.detach();
      if (action.kind === 'scroll') {
        const max = attachWindow(view.screen, size.rows, view.scroll).maxScroll;
        const scroll = Math.max(0, Math.min(max, this.view.get()!.scroll + action.rows));
        this.view.set((v) => (v ? { ...v, scroll } : v));
        void this.refresh(true);
        continue;
      }
      if (!view.screen.writable || view.gone) continue;
      // Typing brings the view back to the live screen, as a terminal does.
      if (this.view.get()!.scroll !== 0) this.view.set((v) => (v ? { ...v, scroll: 0 } : v));
      void this.client
        .request('thread/backgroundTerminals/write', { threadId: this.threadId, processId: this.processId!, data: action.data })
        .catch(() => undefined); // it exited: the next read says so
    }
  }

  private tick(): void {
    if (++this.quietTicks > QUIET_TICKS && this.quietTicks % 3 !== 0) return;
    void this.refresh(false);
  }

  /** Reads the screen (only when it changed, unless `force`) and draws it. */
  private async refresh(force: boolean): Promise<void> {
    const processId = this.processId;
    const view = this.view.get();
    if (processId === null || !view || (this.reading && !force)) return;
    let changed = force;
    if (!view.gone) {
      this.reading = true;
      try {
        const rows = this.viewSize().rows;
        const screen = await this.client.request('thread/backgroundTerminals/read', {
          threadId: this.threadId,
          processId,
          scrollback: view.scroll + rows,
          sinceRevision: force ? undefined : view.screen.revision,
        });
        if (this.processId !== processId) return;
        if (screen.changed) {
          changed = true;
          this.quietTicks = 0;
          this.view.set((v) => (v ? { ...v, screen, title: this.title(screen) } : v));
        }
      } catch {
        if (this.processId !== processId) return;
        // No longer a process of the thread: it was stopped, or exited and was cleaned up.
        changed = true;
        this.view.set((v) => (v ? { ...v, gone: true, title: { ...v.title, status: 'gone' } } : v));
      } finally {
        this.reading = false;
      }
    }
    // Nothing moved: no frame is even composed.
    if (changed) this.draw();
  }

  private draw(): void {
    const view = this.view.get();
    if (!view || !this.active) return;
    const frame = this.host.frame(view, this.host.size());
    if (frame === this.lastFrame) return;
    this.lastFrame = frame;
    this.host.write(frame);
  }

  private title(screen: TerminalReadData): AttachTitle {
    const t = this.record;
    return {
      processId: this.processId ?? '',
      command: screen.command,
      osPid: screen.osPid,
      cpuPercent: t?.cpuPercent ?? null,
      rssKb: t?.rssKb ?? null,
      status: statusText(t, screen),
      ports: t?.ports,
      name: t?.name,
      url: t?.url,
      logPath: t?.logPath,
    };
  }

  private async refreshTitle(): Promise<void> {
    const processId = this.processId;
    if (processId === null) return;
    const record = await this.findRecord(processId);
    if (this.processId !== processId) return;
    this.record = record;
    const view = this.view.get();
    if (view && !view.gone) this.view.set({ ...view, title: this.title(view.screen) });
    this.draw();
  }

  /** Its background terminal record (live CPU and memory), if it is one. */
  private async findRecord(processId: string): Promise<BackgroundTerminalData | undefined> {
    let cursor: string | null = null;
    try {
      do {
        const page: Result<'thread/backgroundTerminals/list'> = await this.client.request('thread/backgroundTerminals/list', { threadId: this.threadId, cursor, limit: 100 });
        const found = page.data.find((t) => t.processId === processId);
        if (found) return found;
        cursor = page.nextCursor;
      } while (cursor !== null);
    } catch {
      // the thread changed meanwhile
    }
    return undefined;
  }
}
