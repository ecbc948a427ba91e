// The long answer the agent bench's model streams: deterministic Markdown (headings, prose, lists, code
// blocks in several languages) of a given size, and its split into deltas of a few to ~40 characters, as a
// model server sends them. ASCII only, so a delta never splits a character.

/** The answer's last line: on screen once the whole answer has arrived. */
export const ANSWER_END = 'End of the benchmark answer.';

/** mulberry32: a small seeded generator, so every run streams the same text in the same pieces. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a process terminal buffer stream model server request response command output line screen frame key ' +
  'thread turn item message config file path value error retry timeout signal child parent group session ' +
  'reads writes starts stops waits returns keeps drops sends parses renders measures counts checks moves ' +
  'quickly safely once again later first last every each only never always before after while until ' +
  'large small bounded empty full open closed busy idle ready slow fast local remote new old'
).split(' ');

const CODE: Record<string, string[]> = {
  ts: [
    'export async function readAll(stream: AsyncIterable<string>): Promise<string> {',
    '  let out = "";',
    '  for await (const part of stream) out += part;',
    '  return out;',
    '}',
    'const timer = setTimeout(() => controller.abort(), 5_000);',
    'if (bytes > MAX_BYTES) throw new Error(`over ${MAX_BYTES} bytes`);',
  ],
  bash: ['set -euo pipefail', 'for f in src/*.ts; do', '  wc -l "$f"', 'done | sort -n | tail -5', 'git log --oneline -n 20', 'npm run build && node dist/corral.js'],
  python: ['def chunks(data, size):', '    for i in range(0, len(data), size):', '        yield data[i:i + size]', '', 'print(sum(len(c) for c in chunks(b"x" * 1000, 64)))'],
  json: ['{', '  "model": "bench",', '  "stream": true,', '  "messages": [{ "role": "user", "content": "go" }]', '}'],
};

/** Deterministic Markdown of at least `bytes` bytes (ASCII), ending with the paragraph `end`. */
export function markdownAnswer(bytes: number, seed = 1, end = ANSWER_END): string {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const sentence = (): string => {
    const words = Array.from({ length: 6 + Math.floor(rand() * 12) }, () => pick(WORDS));
    if (rand() < 0.3) words[1] = `\`${words[1]}\``;
    if (rand() < 0.2) words[3] = `**${words[3]}**`;
    const s = words.join(' ');
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = (): string => Array.from({ length: 2 + Math.floor(rand() * 5) }, sentence).join(' ');
  const list = (ordered: boolean): string =>
    Array.from({ length: 3 + Math.floor(rand() * 5) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence()}`).join('\n');
  const code = (): string => {
    const lang = pick(Object.keys(CODE));
    const lines = CODE[lang]!;
    const start = Math.floor(rand() * lines.length);
    const body = Array.from({ length: 3 + Math.floor(rand() * 8) }, (_, i) => lines[(start + i) % lines.length]!);
    return ['```' + lang, ...body, '```'].join('\n');
  };
  const blocks: string[] = [];
  let size = 0;
  let section = 0;
  while (size < bytes) {
    const r = rand();
    const block =
      r < 0.08 ? `${rand() < 0.3 ? '##' : '###'} ${++section}. ${sentence().slice(0, -1)}` : r < 0.55 ? paragraph() : r < 0.8 ? list(rand() < 0.4) : code();
    blocks.push(block);
    size += block.length + 2;
  }
  blocks.push(end);
  return blocks.join('\n\n');
}

/** `text` in pieces of 3 to 40 characters, mostly short ones, as models stream tokens. */
export function deltas(text: string, seed = 2): string[] {
  const rand = seeded(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 3 + Math.floor(rand() * rand() * 38);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}
