// Wire shapes of command/exec (one-off commands outside any thread), as Codex's app-server v2 has them. Only
// the app-server serves them (command-exec-wiring.ts); the TUI has no use for them.
import { z } from 'zod';
import { TerminalSize } from './shapes.js';

const ProcessId = z.string().min(1, 'must not be empty');

export const CommandExecParams = z
  .object({
    command: z.array(z.string()).min(1, 'must not be empty'),
    processId: ProcessId.nullable().optional(),
    tty: z.boolean().optional(),
    size: TerminalSize.nullable().optional(),
    streamStdin: z.boolean().optional(),
    streamStdoutStderr: z.boolean().optional(),
    outputBytesCap: z.number().int().min(0).nullable().optional(),
    disableOutputCap: z.boolean().optional(),
    timeoutMs: z.number().int().min(0).nullable().optional(),
    disableTimeout: z.boolean().optional(),
    cwd: z.string().min(1).nullable().optional(),
    env: z.record(z.string(), z.string().nullable()).nullable().optional(),
    sandboxPolicy: z.object({ type: z.string() }).passthrough().nullable().optional(),
    permissionProfile: z.string().nullable().optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.command[0] === '') ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'the program must not be empty' });
    if (p.outputBytesCap != null && p.disableOutputCap) issue('outputBytesCap', 'cannot be combined with disableOutputCap');
    if (p.timeoutMs != null && p.disableTimeout) issue('timeoutMs', 'cannot be combined with disableTimeout');
    if (p.size != null && !p.tty) issue('size', 'only valid when tty is true');
    if ((p.tty || p.streamStdin || p.streamStdoutStderr) && p.processId == null) {
      issue('processId', 'required with tty, streamStdin or streamStdoutStderr');
    }
    // corral runs commands without a sandbox: it refuses to pretend otherwise rather than ignore the request.
    if (p.sandboxPolicy != null && p.sandboxPolicy.type !== 'dangerFullAccess') {
      issue('sandboxPolicy', 'corral has no sandbox: only {"type":"dangerFullAccess"} is accepted');
    }
    if (p.permissionProfile != null) issue('permissionProfile', 'corral has no sandbox, so no permission profiles');
  });

export const CommandExecResponse = z.object({
  exitCode: z.number().int(),
  /** Empty when stdout was streamed. */
  stdout: z.string(),
  /** Empty when stderr was streamed (and always under a PTY, which merges it into stdout). */
  stderr: z.string(),
});

export const CommandExecWriteParams = z.object({
  processId: ProcessId,
  deltaBase64: z.base64().nullable().optional(),
  closeStdin: z.boolean().optional(),
});

export const CommandExecResizeParams = z.object({ processId: ProcessId, size: TerminalSize });

export const CommandExecTerminateParams = z.object({ processId: ProcessId });

export const CommandExecOutputDelta = z.object({
  processId: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  deltaBase64: z.string(),
  /** True on the last delta of a stream whose output reached outputBytesCap; later output is dropped. */
  capReached: z.boolean(),
});

export const CommandExecRequests = {
  'command/exec': { params: CommandExecParams, result: CommandExecResponse },
  'command/exec/write': { params: CommandExecWriteParams, result: z.object({}) },
  'command/exec/resize': { params: CommandExecResizeParams, result: z.object({}) },
  'command/exec/terminate': { params: CommandExecTerminateParams, result: z.object({}) },
} as const;

export const CommandExecNotifications = {
  'command/exec/outputDelta': CommandExecOutputDelta,
} as const;

export type CommandExecParamsInput = z.input<typeof CommandExecParams>;
export type CommandExecResponseData = z.infer<typeof CommandExecResponse>;
export type CommandExecWriteParamsInput = z.input<typeof CommandExecWriteParams>;
export type CommandExecResizeParamsInput = z.input<typeof CommandExecResizeParams>;
export type CommandExecTerminateParamsInput = z.input<typeof CommandExecTerminateParams>;
export type CommandExecOutputDeltaData = z.infer<typeof CommandExecOutputDelta>;
