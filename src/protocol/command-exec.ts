// command/exec and its follow-ups (write, resize, terminate): one-off argv commands that belong to the
// connection that started them. Requests that act on one process take effect in the order they arrived (each
// process has a queue, joined synchronously when the request is received); a disconnect ends the
// connection's processes, verified.
import { resolve } from 'node:path';
import type { z } from 'zod';
import { OneOffInputError, type OneOffProcess, type ProcessManager } from '../exec/index.js';
import {
  type CommandExecOutputDeltaData,
  CommandExecParams,
  type CommandExecParamsInput,
  CommandExecResizeParams,
  type CommandExecResizeParamsInput,
  type CommandExecResponseData,
  CommandExecTerminateParams,
  type CommandExecTerminateParamsInput,
  CommandExecWriteParams,
  type CommandExecWriteParamsInput,
} from './command-exec-shapes.js';
import { ExecOutput } from './command-exec-output.js';
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, ProtocolError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
/** What a timed-out command exits with, as `timeout(1)` reports it. */
export const TIMEOUT_EXIT_CODE = 124;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionHandle {
  readonly id: string;
  /** False when the connection's buffer is full: the service then waits for `drained` before sending more. */
  notify(method: 'command/exec/outputDelta', params: CommandExecOutputDeltaData): boolean | void;
  drained?(): Promise<void>;
}

interface Running {
  processId: string | null;
  proc: OneOffProcess;
  output: ExecOutput;
  stdin: boolean;
  /** The tail of this process's request queue. */
  queue: Promise<unknown>;
  done: Promise<unknown>;
}

interface ConnectionState {
  id: string;
  closed: boolean;
  named: Map<string, Running>;
  all: Set<Running>;
}

type Empty = Record<string, never>;

export class CommandExecService {
  private readonly conns = new Map<string, ConnectionState>();

  constructor(private readonly manager: ProcessManager) {}

  /** Starts at once (before any later request of the connection is looked at); resolves when it has ended. */
  exec(conn: ConnectionHandle, params: CommandExecParamsInput): Promise<CommandExecResponseData> {
    try {
      const p = parse('command/exec', CommandExecParams, params);
      const state = this.state(conn.id);
      if (state.closed) throw new ProtocolError(INVALID_REQUEST, 'the connection is closing');
      const processId = p.processId ?? null;
      if (processId !== null && state.named.has(processId)) {
        throw new ProtocolError(INVALID_REQUEST, `duplicate active command/exec process id: ${processId}`);
      }
      const tty = p.tty ?? false;
      const proc = this.manager.spawnOneOff({
        argv: p.command,
        cwd: resolve(p.cwd ?? '.'),
        env: p.env ?? {},
        tty,
        size: p.size ?? undefined,
        stdin: p.streamStdin ?? false,
      });
      const streaming = tty || (p.streamStdoutStderr ?? false);
      const output = new ExecOutput({
        processId: streaming ? processId : null,
        cap: p.disableOutputCap ? null : (p.outputBytesCap ?? DEFAULT_OUTPUT_CAP),
        send: (delta) => (state.closed ? true : conn.notify('command/exec/outputDelta', delta)),
        drained: conn.drained ? () => conn.drained!() : undefined,
        pause: () => proc.pause(),
        resume: () => proc.resume(),
      });
      proc.onOutput((chunk, stream) => output.push(chunk, stream));
      const running: Running = { processId, proc, output, stdin: tty || (p.streamStdin ?? false), queue: Promise.resolve(), done: Promise.resolve() };
      if (processId !== null) state.named.set(processId, running);
      state.all.add(running);
      // setTimeout takes at most 2^31-1 ms; longer is as good as none.
      const timeoutMs = p.disableTimeout ? null : Math.min(p.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMER_MS);
      const result = this.run(state, running, timeoutMs);
      running.done = result.catch(() => undefined);
      return result;
    } catch (err) {
      return Promise.reject(asProtocolError(err));
    }
  }

  write(conn: ConnectionHandle, params: CommandExecWriteParamsInput): Promise<Empty> {
    return this.act(conn, 'command/exec/write', CommandExecWriteParams, params, (r, p) => {
      if (!r.stdin) {
        throw new ProtocolError(INVALID_REQUEST, `stdin streaming is not enabled for command/exec process ${p.processId} (start it with streamStdin or tty)`);
      }
      return () => {
        if (p.deltaBase64) r.proc.write(Buffer.from(p.deltaBase64, 'base64'));
        if (p.closeStdin) r.proc.closeStdin();
      };
    });
  }

  resize(conn: ConnectionHandle, params: CommandExecResizeParamsInput): Promise<Empty> {
    return this.act(conn, 'command/exec/resize', CommandExecResizeParams, params, (r, p) => {
      if (!r.proc.tty) throw new ProtocolError(INVALID_REQUEST, `command/exec process ${p.processId} has no terminal to resize (it was started without tty)`);
      return () => r.proc.resize(p.size.cols, p.size.rows);
    });
  }

  /** Ends the process's whole tree, verified; its command/exec request then answers with how it ended. */
  terminate(conn: ConnectionHandle, params: CommandExecTerminateParamsInput): Promise<Empty> {
    return this.act(conn, 'command/exec/terminate', CommandExecTerminateParams, params, (r, p) => async () => {
      const t = await r.proc.terminate();
      if (t.survivors.length > 0) {
        throw new ProtocolError(INTERNAL_ERROR, `could not end processes ${t.survivors.map((s) => s.pid).join(', ')} of command/exec process ${p.processId}`);
      }
    });
  }

  /** The connection went away: end its processes, verified. Deltas for it stop at once. */
  async closeConnection(connId: string): Promise<void> {
    const state = this.conns.get(connId);
    if (!state) return;
    state.closed = true;
    const running = [...state.all];
    for (const r of running) r.output.abandon();
    await Promise.all(running.map((r) => r.proc.terminate()));
    await Promise.all(running.map((r) => r.done));
    this.conns.delete(connId);
  }

  /**
   * Looks the process up and checks the request now, then queues its effect behind the process's earlier
   * requests: the order of arrival is the order of effect.
   */
  private act<S extends z.ZodType<{ processId: string }>>(
    conn: ConnectionHandle,
    method: string,
    schema: S,
    params: unknown,
    prepare: (r: Running, p: z.infer<S>) => () => void | Promise<void>,
  ): Promise<Empty> {
    try {
      const p = parse(method, schema, params);
      const r = this.conns.get(conn.id)?.named.get(p.processId);
      if (!r) throw new ProtocolError(INVALID_REQUEST, `no active command/exec for process id: ${p.processId}`);
      const effect = prepare(r, p);
      const result = r.queue.then(async () => {
        try {
          await effect();
        } catch (err) {
          throw asProtocolError(err);
        }
        return {} as Empty;
      });
      r.queue = result.catch(() => undefined);
      return result;
    } catch (err) {
      return Promise.reject(asProtocolError(err));
    }
  }

  private async run(state: ConnectionState, r: Running, timeoutMs: number | null): Promise<CommandExecResponseData> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      r.proc.exited.then(() => false),
      ...(timeoutMs === null ? [] : [new Promise<boolean>((res) => (timer = setTimeout(() => res(true), timeoutMs)))]),
    ]);
    clearTimeout(timer);
    try {
      // On a timeout the tree goes; after an exit, whatever the command left running goes with it.
      const t = await r.proc.terminate();
      if (t.survivors.length > 0) {
        throw new ProtocolError(INTERNAL_ERROR, `could not end processes ${t.survivors.map((s) => s.pid).join(', ')} of ${r.proc.argv[0]}`);
      }
      const exit = await r.proc.exited;
      r.proc.dispose();
      await r.output.flushed();
      return { exitCode: timedOut ? TIMEOUT_EXIT_CODE : exit.exitCode, ...r.output.result() };
    } finally {
      if (r.processId !== null && state.named.get(r.processId) === r) state.named.delete(r.processId);
      state.all.delete(r);
      if (state.all.size === 0 && !state.closed) this.conns.delete(state.id);
    }
  }

  private state(connId: string): ConnectionState {
    let s = this.conns.get(connId);
    if (!s) {
      s = { id: connId, closed: false, named: new Map(), all: new Set() };
      this.conns.set(connId, s);
    }
    return s;
  }
}

function parse<S extends z.ZodType>(method: string, schema: S, params: unknown): z.infer<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`).join('; ');
  throw new ProtocolError(INVALID_PARAMS, `invalid params for ${method}: ${issues}`);
}

function asProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (err instanceof OneOffInputError) return new ProtocolError(INVALID_REQUEST, err.message);
  return new ProtocolError(INTERNAL_ERROR, `internal error: ${(err as Error).message}`);
}
