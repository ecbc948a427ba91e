// Separates a `<think>…</think>` block from the answer in streamed chat content. Reasoning models served
// through Chat Completions (DeepSeek-R1, Qwen3, ... on Ollama, vLLM, llama.cpp) often put their reasoning at
// the start of `content`. Only a block that opens the response counts: an answer that later mentions the tag
// stays answer text. Tags may arrive split across any number of chunks.

export interface ContentPart {
  kind: 'text' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** The length of the longest end of `text` that is a proper start of `tag` (a tag that may be cut). */
function partialTagLength(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

export class ThinkSplitter {
  // start: only whitespace so far; think: inside the block; answer: everything else is text.
  private state: 'start' | 'think' | 'answer' = 'start';
  private held = '';
  // Whitespace between the tags and their neighbours is layout, not content.
  private skipSpace = false;

  push(chunk: string): ContentPart[] {
    const out: ContentPart[] = [];
    let rest = this.held + chunk;
    this.held = '';
    while (rest.length > 0) {
      if (this.skipSpace) {
        rest = rest.trimStart();
        if (rest.length === 0) break;
        this.skipSpace = false;
      }
      if (this.state === 'start') {
        const trimmed = rest.trimStart();
        if (trimmed.startsWith(OPEN)) {
          this.state = 'think';
          this.skipSpace = true;
          rest = trimmed.slice(OPEN.length);
        } else if (OPEN.startsWith(trimmed)) {
          this.held = rest; // Only whitespace, or the tag's first characters: wait for more.
          break;
        } else {
          this.state = 'answer';
        }
      } else if (this.state === 'think') {
        const end = rest.indexOf(CLOSE);
        if (end >= 0) {
          if (end > 0) out.push({ kind: 'reasoning', text: rest.slice(0, end) });
          this.state = 'answer';
          this.skipSpace = true;
          rest = rest.slice(end + CLOSE.length);
        } else {
          const keep = partialTagLength(rest, CLOSE);
          if (rest.length > keep) out.push({ kind: 'reasoning', text: rest.slice(0, rest.length - keep) });
          this.held = rest.slice(rest.length - keep);
          break;
        }
      } else {
        out.push({ kind: 'text', text: rest });
        break;
      }
    }
    return out;
  }

  /** What was held back at the end of the stream: an unclosed block is still reasoning. */
  flush(): ContentPart[] {
    const held = this.held;
    this.held = '';
    if (held.length === 0) return [];
    if (this.state === 'think') return [{ kind: 'reasoning', text: held }];
    return held.trim().length > 0 ? [{ kind: 'text', text: held }] : [];
  }
}
