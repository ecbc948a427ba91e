// The text a tool call gives back to the model: a few header lines, then the output, cut to a token budget
// (head and tail kept around a marker) so one chatty command cannot flood the context.
import { randomBytes } from 'node:crypto';
import { utf8SafeEnd, utf8SafeStart } from '../../exec/utf8.js';

export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
const BYTES_PER_TOKEN = 4;
/** How far from the cut a line break may be and still be preferred. */
const LINE_SNAP_BYTES = 256;

export interface ToolOutput {
  chunkId?: string;
  wallTimeMs: number;
  /** Set when the process exited. */
  exitCode: number | null;
  /** Set when the process still runs. */
  sessionId: string | null;
  output: string;
  maxOutputTokens?: number;
  notes?: string[];
}

export const newChunkId = (): string => randomBytes(3).toString('hex');

export const estimateTokens = (bytes: number): number => Math.ceil(bytes / BYTES_PER_TOKEN);

/** The head and tail of `buf` that fit `budgetBytes`, cut at characters (at lines when one ends nearby). */
function headAndTail(buf: Buffer, budgetBytes: number): { head: string; tail: string; removedBytes: number } {
  const half = Math.floor(budgetBytes / 2);
  let headEnd = utf8SafeEnd(buf, half);
  const headNl = headEnd > 0 ? buf.lastIndexOf(0x0a, headEnd - 1) : -1;
  if (headNl >= 0 && headEnd - (headNl + 1) <= LINE_SNAP_BYTES) headEnd = headNl + 1;
  let tailStart = utf8SafeStart(buf, buf.length - half);
  // From tailStart - 1, so that a tail already starting a line stays whole.
  const tailNl = tailStart > 0 ? buf.indexOf(0x0a, tailStart - 1) : -1;
  if (tailNl >= 0 && tailNl + 1 - tailStart <= LINE_SNAP_BYTES && tailNl + 1 < buf.length) tailStart = tailNl + 1;
  return { head: buf.subarray(0, headEnd).toString('utf8'), tail: buf.subarray(tailStart).toString('utf8'), removedBytes: tailStart - headEnd };
}

/** Lines as a person counts them: a final line without a newline counts, an empty one after it does not. */
function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 0x0a ? n + 1 : n;
}

export function formatToolOutput(o: ToolOutput): string {
  const buf = Buffer.from(o.output, 'utf8');
  const tokens = estimateTokens(buf.length);
  const lines = [`Chunk ID: ${o.chunkId ?? newChunkId()}`, `Wall time: ${(o.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (o.exitCode !== null) lines.push(`Process exited with code ${o.exitCode}`);
  else if (o.sessionId !== null) lines.push(`Process running with session ID ${o.sessionId}`);
  for (const note of o.notes ?? []) lines.push(`Note: ${note}`);
  lines.push(`Original token count: ${tokens}`, 'Output:');
  const budget = Math.max(0, Math.floor(o.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS));
  if (tokens <= budget) return `${lines.join('\n')}\n${o.output}`;
  const { head, tail, removedBytes } = headAndTail(buf, budget * BYTES_PER_TOKEN);
  const totalLines = countLines(buf);
  lines.push(`Warning: truncated output (original token count: ${tokens})`, `Total output lines: ${totalLines}`, '');
  const marker = `…${estimateTokens(removedBytes)} tokens truncated…`;
  return `${lines.join('\n')}\n${head}${head.endsWith('\n') || head === '' ? '' : '\n'}${marker}\n${tail}`;
}

/** A failure the model should read (bad arguments, unknown session): plain text, one paragraph. */
export function toolError(message: string): string {
  return `Error: ${message}`;
}
