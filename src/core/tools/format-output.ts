// The text a tool call gives back to the model: a few header lines, then the output, cut to a token budget
// (head and tail kept around a marker) so one chatty command cannot flood the context.
import { randomBytes } from 'node:crypto';

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

/** Moves a byte offset back to the start of a UTF-8 character. */
function charStart(buf: Buffer, at: number): number {
  let i = Math.max(0, Math.min(at, buf.length));
  while (i > 0 && i < buf.length && (buf[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** The head and tail of `text` that fit `budgetBytes`, at character (preferably line) boundaries. */
function headAndTail(buf: Buffer, budgetBytes: number): { head: string; tail: string; removedBytes: number } {
  const half = Math.floor(budgetBytes / 2);
  let headEnd = charStart(buf, half);
  const nl = buf.lastIndexOf(0x0a, headEnd - 1);
  if (nl >= 0 && headEnd - nl <= LINE_SNAP_BYTES) headEnd = nl + 1;
  let tailStart = charStart(buf, buf.length - half);
  const nl2 = buf.indexOf(0x0a, tailStart);
  if (nl2 >= 0 && nl2 + 1 - tailStart <= LINE_SNAP_BYTES && nl2 + 1 < buf.length) tailStart = nl2 + 1;
  return { head: buf.subarray(0, headEnd).toString('utf8'), tail: buf.subarray(tailStart).toString('utf8'), removedBytes: tailStart - headEnd };
}

export function formatToolOutput(o: ToolOutput): string {
  const buf = Buffer.from(o.output, 'utf8');
  const tokens = estimateTokens(buf.length);
  const lines = [`Chunk ID: ${o.chunkId ?? newChunkId()}`, `Wall time: ${(o.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (o.exitCode !== null) lines.push(`Process exited with code ${o.exitCode}`);
  else if (o.sessionId !== null) lines.push(`Process running with session ID ${o.sessionId}`);
  for (const note of o.notes ?? []) lines.push(`Note: ${note}`);
  lines.push(`Original token count: ${tokens}`, 'Output:');
  const budget = o.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  if (tokens <= budget) return `${lines.join('\n')}\n${o.output}`;
  const { head, tail, removedBytes } = headAndTail(buf, budget * BYTES_PER_TOKEN);
  const totalLines = o.output.split('\n').length - (o.output.endsWith('\n') ? 1 : 0);
  lines.push(`Warning: truncated output (original token count: ${tokens})`, `Total output lines: ${totalLines}`, '');
  const marker = `…${estimateTokens(removedBytes)} tokens truncated…`;
  return `${lines.join('\n')}\n${head}${head.endsWith('\n') || head === '' ? '' : '\n'}${marker}\n${tail}`;
}

/** A failure the model should read (bad arguments, unknown session): plain text, one paragraph. */
export function toolError(message: string): string {
  return `Error: ${message}`;
}
