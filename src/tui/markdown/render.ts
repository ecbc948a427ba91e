// Markdown to lines of styled spans at a given width, from marked's tokens (never its HTML renderer). Top-level
// blocks are separated by one blank row, so a message rendered in parts (split between blocks while it
// streamed) looks the same as the whole. Text is stripped of control characters first.
import type { Token, Tokens } from 'marked';
import { sanitize } from '../sanitize.js';
import { highlightCode } from './highlight.js';
import { inlineSpans } from './inline.js';
import { type MarkdownModules, markdownModules } from './load.js';
import { type Line, type SpanStyle, prefixLines, restyle } from './spans.js';
import { tableLines } from './table.js';
import { wrapSpans, wrapText } from './wrap.js';

const HEADING: Record<number, SpanStyle> = {
  1: { bold: true, color: 'magenta', underline: true },
  2: { bold: true, color: 'magenta' },
};
const DIM: SpanStyle = { dimColor: true };
const CODE_INDENT = 2;

function listLines(list: Tokens.List, width: number, modules: MarkdownModules): Line[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const markers = list.items.map((_, i) => (list.ordered ? `${start + i}. ` : '- '));
  const markerWidth = Math.max(...markers.map((m) => m.length));
  const out: Line[] = [];
  list.items.forEach((item, i) => {
    if (i > 0 && list.loose) out.push([]);
    const box: Line = item.task ? [{ text: item.checked ? '[x] ' : '[ ] ', style: item.checked ? { color: 'green' } : {} }] : [];
    const indent = markerWidth + (item.task ? 4 : 0);
    const body = blockLines(item.tokens.filter((t) => t.type !== 'checkbox'), width - indent, modules, item.loose);
    const marker: Line = [{ text: markers[i]!.padEnd(markerWidth), style: list.ordered ? {} : DIM }, ...box];
    out.push(...prefixLines(body.length > 0 ? body : [[]], marker, [{ text: ' '.repeat(indent), style: {} }]));
  });
  return out;
}

function codeLines(code: Tokens.Code, width: number, modules: MarkdownModules): Line[] {
  const label: Line[] = code.lang ? [[{ text: code.lang, style: DIM }]] : [];
  const inner = Math.max(1, width - CODE_INDENT);
  const lines = highlightCode(code.text, code.lang, modules.lowlight).flatMap((l) => wrapSpans(l, inner));
  return [...label, ...prefixLines(lines, [{ text: ' '.repeat(CODE_INDENT), style: {} }], [{ text: ' '.repeat(CODE_INDENT), style: {} }])];
}

function block(token: Token, width: number, modules: MarkdownModules): Line[] {
  switch (token.type) {
    case 'space':
      return [];
    case 'heading': {
      const t = token as Tokens.Heading;
      return wrapSpans(inlineSpans(t.tokens, HEADING[t.depth] ?? { bold: true }), width);
    }
    case 'paragraph':
      return wrapSpans(inlineSpans((token as Tokens.Paragraph).tokens), width);
    case 'text': {
      const t = token as Tokens.Text;
      return wrapSpans(t.tokens ? inlineSpans(t.tokens) : [{ text: t.text, style: {} }], width);
    }
    case 'code':
      return codeLines(token as Tokens.Code, width, modules);
    case 'blockquote': {
      const inner = blockLines((token as Tokens.Blockquote).tokens, width - 2, modules, true);
      return prefixLines(restyle(inner, DIM), [{ text: '│ ', style: DIM }], [{ text: '│ ', style: DIM }]);
    }
    case 'list':
      return listLines(token as Tokens.List, width, modules);
    case 'table':
      return tableLines(token as Tokens.Table, width);
    case 'hr':
      return [[{ text: '─'.repeat(Math.max(1, width)), style: DIM }]];
    case 'html':
      return wrapText((token as Tokens.HTML).text.replace(/\n+$/, ''), width);
    case 'def': {
      const t = token as Tokens.Def;
      return wrapText(`[${t.tag}]: ${t.href}`, width, DIM);
    }
    default:
      return wrapText(token.raw.replace(/\n+$/, ''), width);
  }
}

/** Blocks one after another, with a blank row between them when `spaced` (always at the top level). */
function blockLines(tokens: Token[], width: number, modules: MarkdownModules, spaced: boolean): Line[] {
  const out: Line[] = [];
  for (const token of tokens) {
    const lines = block(token, Math.max(1, width), modules);
    if (lines.length === 0) continue;
    if (spaced && out.length > 0) out.push([]);
    out.push(...lines);
  }
  return out;
}

/** The message as rows of at most `width` cells; plain wrapped text until the Markdown modules are loaded. */
export function renderMarkdown(markdown: string, width: number): Line[] {
  const text = sanitize(markdown).replace(/\n+$/, '');
  const modules = markdownModules();
  if (!modules) return text === '' ? [] : wrapText(text, width);
  return blockLines(modules.lex(text), width, modules, true);
}
