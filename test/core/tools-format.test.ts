// The text a tool call returns to the model: exact header lines, and the head/tail cut of long output.
import { describe, expect, it } from 'vitest';
import { formatToolOutput, newChunkId, toolError } from '../../src/core/tools/format-output.js';

/** Splits a truncated result into its parts (the header ends with the blank line after the warning). */
function parts(text: string): { header: string; body: string } {
  const at = text.indexOf('\n\n');
  return { header: text.slice(0, at), body: text.slice(at + 2) };
}

describe('formatToolOutput', () => {
  it('formats an exited command exactly', () => {
    expect(formatToolOutput({ chunkId: 'a1b2c3', wallTimeMs: 1234.56, exitCode: 0, sessionId: null, output: 'hello\nworld\n' })).toBe(
      'Chunk ID: a1b2c3\nWall time: 1.2346 seconds\nProcess exited with code 0\nOriginal token count: 3\nOutput:\nhello\nworld\n',
    );
  });

  it('formats a running command with notes, and an empty output', () => {
    expect(
      formatToolOutput({
        chunkId: 'ffffff',
        wallTimeMs: 10_000,
        exitCode: null,
        sessionId: '4821',
        output: '',
        notes: ['the same command is already running as session 4821', 'second note'],
      }),
    ).toBe(
      'Chunk ID: ffffff\nWall time: 10.0000 seconds\nProcess running with session ID 4821\n' +
        'Note: the same command is already running as session 4821\nNote: second note\nOriginal token count: 0\nOutput:\n',
    );
  });

  it('shows a non-zero exit code and omits the status line when neither is known', () => {
    expect(formatToolOutput({ chunkId: '000000', wallTimeMs: 5, exitCode: 127, sessionId: null, output: 'x' })).toContain(
      'Wall time: 0.0050 seconds\nProcess exited with code 127\nOriginal token count: 1\n',
    );
    expect(formatToolOutput({ chunkId: '000000', wallTimeMs: 0, exitCode: null, sessionId: null, output: 'x' })).toBe(
      'Chunk ID: 000000\nWall time: 0.0000 seconds\nOriginal token count: 1\nOutput:\nx',
    );
  });

  it('makes a fresh 6-hex chunk id when none is given', () => {
    const ids = new Set(Array.from({ length: 20 }, () => newChunkId()));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{6}$/);
    expect(ids.size).toBeGreaterThan(15);
    expect(formatToolOutput({ wallTimeMs: 0, exitCode: 0, sessionId: null, output: '' })).toMatch(/^Chunk ID: [0-9a-f]{6}\n/);
  });

  it('keeps output exactly at the budget whole', () => {
    const output = 'a'.repeat(40); // 10 tokens
    const text = formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: 0, sessionId: null, output, maxOutputTokens: 10 });
    expect(text.endsWith(`Output:\n${output}`)).toBe(true);
    expect(text).not.toContain('Warning');
  });

  it('cuts long output to its head and tail around a marker, preferring line ends', () => {
    // 1000 lines of 100 bytes = 100,000 bytes = 25,000 tokens; budget 1,000 tokens = 4,000 bytes, 2,000 each side.
    const lines = Array.from({ length: 1000 }, (_, i) => `${`line ${i}`.padEnd(99, '.')}\n`);
    const output = lines.join('');
    const text = formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: 0, sessionId: null, output, maxOutputTokens: 1000 });
    const { header, body } = parts(text);
    expect(header).toBe(
      'Chunk ID: abcdef\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 25000\nOutput:\n' +
        'Warning: truncated output (original token count: 25000)\nTotal output lines: 1000',
    );
    // Head: lines 0-19 (2,000 bytes, cut falls on a line end); tail: the last 20 lines.
    const head = lines.slice(0, 20).join('');
    const tail = lines.slice(980).join('');
    const removed = 100_000 - head.length - tail.length;
    expect(body).toBe(`${head}…${Math.ceil(removed / 4)} tokens truncated…\n${tail}`);
    expect(body).toContain('…24000 tokens truncated…');
  });

  it('snaps a mid-line cut back to the nearest line end, and forward in the tail', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${`row ${i}`.padEnd(149, '-')}\n`); // 150 bytes each
    const output = lines.join('');
    const text = formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: 0, sessionId: null, output, maxOutputTokens: 500 });
    const { body } = parts(text);
    // 1,000 bytes each side: the head keeps 6 whole lines (900 bytes), the tail 6 whole lines.
    const head = lines.slice(0, 6).join('');
    const tail = lines.slice(194).join('');
    expect(body).toBe(`${head}…${Math.ceil((30_000 - 1800) / 4)} tokens truncated…\n${tail}`);
  });

  it('cuts one long line at character boundaries, never inside a multibyte character', () => {
    const output = `${'€'.repeat(3000)}🚀${'ü'.repeat(3000)}`; // 9000 + 4 + 6000 bytes, no newline
    const text = formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: null, sessionId: '1001', output, maxOutputTokens: 101 });
    const { header, body } = parts(text);
    expect(header).toContain('Process running with session ID 1001\nOriginal token count: 3751\n');
    expect(header).toContain('Total output lines: 1');
    const [head, rest] = body.split('\n…');
    const [marker, tail] = rest!.split('…\n');
    // 404 bytes budget, 202 each side: 67 '€' (201 bytes) and 101 'ü' (202 bytes).
    expect(head).toBe('€'.repeat(67));
    expect(tail).toBe('ü'.repeat(101));
    expect(marker).toBe(`${Math.ceil((15_004 - 201 - 202) / 4)} tokens truncated`);
    expect(body).not.toContain('\uFFFD');
  });

  it('uses the default budget of 10,000 tokens', () => {
    const small = 'x'.repeat(40_000);
    expect(formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: 0, sessionId: null, output: small })).not.toContain('Warning');
    const big = 'x'.repeat(40_001);
    const text = formatToolOutput({ chunkId: 'abcdef', wallTimeMs: 0, exitCode: 0, sessionId: null, output: big });
    expect(text).toContain('Warning: truncated output (original token count: 10001)');
    expect(text).toContain('…1 tokens truncated…');
    expect(text.length).toBeLessThan(40_300);
  });
});

describe('toolError', () => {
  it('is a plain readable line', () => {
    expect(toolError('unknown session id 12')).toBe('Error: unknown session id 12');
  });
});
