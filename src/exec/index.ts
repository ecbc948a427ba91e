// The process manager's public surface. Nothing here knows about React, models or the protocol.
export {
  ProcessManager,
  UnknownProcessError,
  ExecInputError,
  DEFAULT_YIELD_MS,
  type ExecRequest,
  type ExecResult,
  type WriteRequest,
  type ProcessRecord,
  type TerminateResult,
  type ExecEvents,
  type ProcessManagerOptions,
} from './process-manager.js';
export type { ManagedProcess, ProcessStatus, StoredRequest } from './managed-process.js';
export type { LogOptions } from './terminal-logs.js';
export { OneOffProcess, OneOffInputError, type OneOffRequest, type OneOffExit, type OutputStream } from './one-off.js';
export type { ScreenLine, ScreenSpan, SpanStyle, CellColor } from './screen-lines.js';
export type { ScreenView } from './screen-view.js';
export { InvalidCursorError, paginate, type Page } from './pagination.js';
export { TypedEmitter } from './typed-emitter.js';
export { shortId, resolveProcessArg, compareKeys, type Resolution } from './short-id.js';
export { installHostShutdown } from './host-shutdown.js';
export { corralHome, findLeftovers, type Leftover } from './registry-file.js';
export type { LeftoverProcess, LeftoverStop } from './leftovers.js';
export { MARKER_VAR } from './marker.js';
export type { EnvProfile, EnvOverrides } from './env-profile.js';
export type { EndedBy } from './terminate-tree.js';
