// Keyboard and submission handling: turns what the person types into composer edits, client requests and
// transcript cells. Components forward keys here and render the resulting state.
import type { Key } from 'ink';
import type { CorralClient } from '../protocol/client.js';
import { ProtocolError } from '../protocol/errors.js';
import { cellId } from './cells.js';
import { Conversation } from './conversation.js';
import { type CommandContext, type SlashCommand, findCommand, parseSlash } from './command-types.js';
import * as edit from './composer-editing.js';
import { QUIT_ARM_MS, decideCtrlC } from './ctrl-c.js';
import { sanitize } from './sanitize.js';
import { PsPicker } from './ps-picker.js';
import { applyCompletion, argumentContext, commandPopup } from './slash-popup.js';
import type { TuiState } from './state.js';

export interface ControllerHooks {
  /** Ends the program (after stopping every terminal). */
  quit: () => void;
  /** Resolves once the backend is connected; submissions wait for it (typing does not). */
  ready?: Promise<void>;
  /** Rows and columns that a command's terminal should have (the width its output is shown at). */
  terminalSize: () => { rows: number; cols: number };
  /** Shows a terminal full-screen (attach-mode.ts); absent where there is no real terminal to take over. */
  attach?: (processId: string) => Promise<void>;
}

const HISTORY_LIMIT = 200;

const CTRL_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: true,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

export class TuiController {
  private readonly history: string[] = [];
  private historyIndex: number | null = null;
  private quitTimer: NodeJS.Timeout | null = null;
  private completionSeq = 0;
  private readonly ctx: CommandContext;
  readonly conversation: Conversation;
  readonly picker: PsPicker;

  constructor(
    private readonly client: CorralClient,
    private readonly state: TuiState,
    commands: readonly SlashCommand[],
    private readonly hooks: ControllerHooks,
  ) {
    const status = state.status;
    this.picker = new PsPicker(client, state, (id) => void this.attach(id).catch((err: Error) => this.error(err.message)), (...cells) => state.append(...cells));
    this.ctx = {
      client,
      // The thread may start after the UI does: always read the current one.
      get threadId() {
        return status.get().threadId;
      },
      state,
      commands,
      ui: { attach: (id) => this.attach(id), openPicker: () => this.picker.open() },
    };
    this.conversation = new Conversation(client, state, () => status.get().threadId);
  }

  private get commands(): readonly SlashCommand[] {
    return this.ctx.commands;
  }

  handleKey(input: string, key: Key): void {
    if (this.conversation.approvalPending) return this.approvalKey(input, key);
    if (this.picker.isOpen) return this.picker.key(input, key);
    if (key.ctrl && input === 'c') return this.ctrlC();
    this.disarmQuit();
    if (key.ctrl && input === 'b') return this.toBackground();
    if (key.ctrl && input === 't') return this.ctrlT();
    if (key.escape) return this.escape();
    if (key.return) return void this.enter();
    if (key.tab) return this.tab();
    if (key.upArrow) return this.up();
    if (key.downArrow) return this.down();
    if (key.leftArrow) return this.apply(edit.left);
    if (key.rightArrow) return this.apply(edit.right);
    if (key.home || (key.ctrl && input === 'a')) return this.apply(edit.home);
    if (key.end || (key.ctrl && input === 'e')) return this.apply(edit.end);
    if (key.backspace || key.delete) return this.apply(edit.backspace);
    if (key.ctrl && input === 'd') return this.apply(edit.deleteForward);
    if (key.ctrl && input === 'u') return this.apply(edit.killBefore);
    if (key.ctrl && input === 'k') return this.apply(edit.killAfter);
    if (key.ctrl && input === 'w') return this.apply(edit.deleteWordBefore);
    if (key.ctrl || key.meta || input === '') return;
    this.typed(input);
  }

  /** While the model waits for an approval, the prompt has the keys: y, a, n or Esc; Ctrl+C also ends the turn. */
  private approvalKey(input: string, key: Key): void {
    const k = input.toLowerCase();
    if (key.ctrl && k === 'c') this.conversation.answer('cancel');
    else if (key.escape || (!key.ctrl && k === 'n')) this.conversation.answer('decline');
    else if (!key.ctrl && k === 'y') this.conversation.answer('accept');
    else if (!key.ctrl && k === 'a') this.conversation.answer('acceptForSession');
  }

  /** A turn ended: queued messages go out, unanswered prompts are dropped. */
  turnEnded(): void {
    this.conversation.dropApprovals();
    this.conversation.turnEnded();
  }

  /**
   * Text that arrived in one read: typing faster than reads, or a paste. Read it as a terminal would: a
   * newline is Enter (a pasted list of commands runs line by line, as in a shell), DEL is backspace, ^C is
   * Ctrl+C; other control characters are dropped.
   */
  private typed(input: string): void {
    let text = '';
    const flush = (): void => {
      const clean = sanitize(text);
      text = '';
      if (clean !== '') this.apply((e) => edit.insert(e, clean));
    };
    for (const ch of input) {
      const code = ch.charCodeAt(0);
      if (ch === '\r' || ch === '\n') {
        flush();
        void this.enter();
      } else if (ch === '\x7f' || ch === '\b') {
        flush();
        this.apply(edit.backspace);
      } else if (code < 0x20 && ch !== '\t') {
        // ^A..^Z: the same as that key pressed alone.
        flush();
        this.handleKey(String.fromCharCode(code + 0x60), CTRL_KEY);
      } else text += ch;
    }
    flush();
  }

  // Composer

  private apply(fn: (e: edit.Edit) => edit.Edit): void {
    const c = this.state.composer.get();
    const next = fn({ text: c.text, cursor: c.cursor });
    if (next.text === c.text && next.cursor === c.cursor) return;
    this.setText(next.text, next.cursor, next.text !== c.text);
  }

  private setText(text: string, cursor = text.length, textChanged = true): void {
    this.state.composer.set((c) => ({ ...c, text, cursor }));
    if (textChanged) {
      this.historyIndex = null;
      this.refreshPopup();
    }
  }

  private refreshPopup(): void {
    const text = this.state.composer.get().text;
    const seq = ++this.completionSeq;
    const commands = commandPopup(text, this.commands);
    if (commands) {
      this.state.composer.set((c) => ({ ...c, popup: commands, selected: 0 }));
      return;
    }
    this.state.composer.set((c) => (c.popup ? { ...c, popup: null, selected: 0 } : c));
    const arg = argumentContext(text, this.commands);
    if (!arg) return;
    void arg.command.completeArg!(this.ctx, arg.prefix).then(
      (found) => {
        // Only if the text has not changed meanwhile.
        if (seq !== this.completionSeq || found.length === 0) return;
        this.state.composer.set((c) => ({
          ...c,
          popup: { kind: 'args', entries: found, replaceFrom: arg.replaceFrom },
          selected: 0,
        }));
      },
      () => undefined,
    );
  }

  private tab(): void {
    const { popup, selected, text } = this.state.composer.get();
    const entry = popup?.entries[selected];
    if (!popup || !entry) return;
    this.setText(applyCompletion(text, popup.replaceFrom, entry.value));
  }

  private up(): void {
    const c = this.state.composer.get();
    if (c.popup) {
      this.state.composer.set({ ...c, selected: (c.selected - 1 + c.popup.entries.length) % c.popup.entries.length });
      return;
    }
    if (c.text === '') {
      const queued = this.conversation.takeLastQueued();
      if (queued !== null) return this.setText(queued);
    }
    if (this.history.length === 0) return;
    const i = this.historyIndex === null ? this.history.length - 1 : Math.max(0, this.historyIndex - 1);
    this.historyIndex = i;
    this.state.composer.set({ ...c, text: this.history[i]!, cursor: this.history[i]!.length });
  }

  private down(): void {
    const c = this.state.composer.get();
    if (c.popup) {
      this.state.composer.set({ ...c, selected: (c.selected + 1) % c.popup.entries.length });
      return;
    }
    if (this.historyIndex === null) return;
    const i = this.historyIndex + 1;
    const text = i < this.history.length ? this.history[i]! : '';
    this.historyIndex = i < this.history.length ? i : null;
    this.state.composer.set({ ...c, text, cursor: text.length });
  }

  private async enter(): Promise<void> {
    const { text, popup, selected } = this.state.composer.get();
    let line = text.trim();
    // Enter on a half-typed command name runs the selected one.
    if (popup?.kind === 'commands' && !findCommand(this.commands, line.slice(1))) {
      const entry = popup.entries[selected];
      if (entry) line = entry.value.trim();
    }
    if (line === '') return;
    this.history.push(line);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    this.setText('');
    await this.submit(line);
  }

  /** Runs one line as typed: `!cmd`, `/command args`, or a message. */
  async submit(line: string): Promise<void> {
    await this.hooks.ready;
    try {
      if (line.startsWith('!')) await this.runShell(line.slice(1).trim());
      else if (line.startsWith('/')) await this.runSlash(line);
      else await this.conversation.send(line);
    } catch (err) {
      this.error(err instanceof ProtocolError || err instanceof Error ? err.message : String(err));
    }
  }

  private async runShell(command: string): Promise<void> {
    if (command === '') {
      this.error('Type a command after !, for example: !ls -la');
      return;
    }
    await this.client.request('thread/shellCommand', {
      threadId: this.ctx.threadId,
      command,
      size: this.hooks.terminalSize(),
    });
  }

  private async runSlash(line: string): Promise<void> {
    const parsed = parseSlash(line)!;
    const command = findCommand(this.commands, parsed.name);
    if (!command) {
      this.error(`Unknown command: /${sanitize(parsed.name)}. Type /help to see the commands.`);
      return;
    }
    this.state.append({ kind: 'user', id: cellId('user'), text: line });
    const result = await command.run(this.ctx, parsed.args);
    if (result.effect === 'clear') this.state.clear();
    this.state.append(...result.cells);
    if (result.effect === 'quit') this.hooks.quit();
  }

  private error(text: string): void {
    this.state.append({ kind: 'error', id: cellId('error'), text });
  }

  // Interrupts

  private ctrlC(): void {
    const fg = this.state.foregroundExec();
    const action = decideCtrlC({
      foregroundRunning: fg !== undefined,
      composerText: this.state.composer.get().text,
      turnRunning: this.conversation.turnRunning,
      quitArmed: this.state.status.get().quitArmed,
    });
    switch (action) {
      case 'interrupt':
        this.disarmQuit();
        void this.interrupt(fg!.id);
        return;
      case 'interrupt-turn':
        this.disarmQuit();
        this.conversation.interrupt();
        return;
      case 'clear':
        this.disarmQuit();
        this.setText('');
        return;
      case 'arm-quit':
        this.state.setStatus({ quitArmed: true });
        this.quitTimer = setTimeout(() => this.disarmQuit(), QUIT_ARM_MS);
        return;
      case 'quit':
        this.disarmQuit();
        this.hooks.quit();
        return;
    }
  }

  private disarmQuit(): void {
    if (this.quitTimer) clearTimeout(this.quitTimer);
    this.quitTimer = null;
    if (this.state.status.get().quitArmed) this.state.setStatus({ quitArmed: false });
  }

  private escape(): void {
    if (this.conversation.interrupt()) return;
    const fg = this.state.foregroundExec();
    if (fg) {
      void this.interrupt(fg.id);
      return;
    }
    if (this.state.composer.get().popup) this.state.composer.set((c) => ({ ...c, popup: null, selected: 0 }));
  }

  private async interrupt(itemId: string): Promise<void> {
    await this.client
      .request('thread/shellCommand/interrupt', { threadId: this.ctx.threadId, itemId })
      .catch((err: Error) => this.error(err.message));
  }

  private toBackground(): void {
    const fg = this.state.foregroundExec();
    if (!fg) return;
    void this.client
      .request('thread/shellCommand/background', { threadId: this.ctx.threadId, itemId: fg.id })
      .catch((err: Error) => this.error(err.message));
  }

  /** Ctrl+T: the `!` command running in the foreground full-screen (it may be waiting for input), else the interactive /ps. */
  private ctrlT(): void {
    const fg = this.state.foregroundExec();
    if (fg?.processId) void this.attach(fg.processId).catch((err: Error) => this.error(err.message));
    else this.picker.open();
  }

  private async attach(processId: string): Promise<void> {
    if (!this.hooks.attach) throw new Error('Attaching needs corral running in a terminal.');
    await this.hooks.attach(processId);
  }

  /** Puts text in the composer as if typed (`corral resume` opens the picker this way). */
  prefill(text: string): void {
    this.setText(text);
  }

  dispose(): void {
    this.disarmQuit();
    this.picker.dispose();
  }
}
