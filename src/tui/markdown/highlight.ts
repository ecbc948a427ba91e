// Code blocks coloured by lowlight (highlight.js grammars): its syntax tree becomes lines of spans, each
// highlight.js class mapped to one colour of a small palette.
import type { createLowlight } from 'lowlight';
import type { Line, Span, SpanStyle } from './spans.js';

export type Lowlight = ReturnType<typeof createLowlight>;
type Root = ReturnType<Lowlight['highlight']>;
type Node = Root['children'][number];

/** Longer code is shown uncoloured: highlighting it would stall the screen. */
const MAX_HIGHLIGHT_CHARS = 200_000;

const PALETTE: Record<string, SpanStyle> = {
  keyword: { color: 'magenta' },
  'selector-tag': { color: 'magenta' },
  literal: { color: 'yellow' },
  number: { color: 'yellow' },
  string: { color: 'green' },
  regexp: { color: 'green' },
  'template-variable': { color: 'green' },
  addition: { color: 'green' },
  deletion: { color: 'red' },
  comment: { dimColor: true, italic: true },
  quote: { dimColor: true, italic: true },
  meta: { dimColor: true },
  title: { color: 'blue' },
  section: { color: 'blue', bold: true },
  name: { color: 'blue' },
  'built_in': { color: 'cyan' },
  type: { color: 'cyan' },
  symbol: { color: 'cyan' },
  attr: { color: 'cyan' },
  attribute: { color: 'cyan' },
  variable: { color: 'red' },
  'template-tag': { color: 'red' },
  emphasis: { italic: true },
  strong: { bold: true },
};

function classStyle(node: Node): SpanStyle {
  if (node.type !== 'element') return {};
  const classes = node.properties.className;
  if (!Array.isArray(classes)) return {};
  for (const c of classes) {
    const style = typeof c === 'string' && c.startsWith('hljs-') ? PALETTE[c.slice(5)] : undefined;
    if (style) return style;
  }
  return {};
}

function collect(nodes: Node[], style: SpanStyle, out: Span[]): void {
  for (const node of nodes) {
    if (node.type === 'text') out.push({ text: node.value, style });
    else if (node.type === 'element') collect(node.children, { ...style, ...classStyle(node) }, out);
  }
}

/** Splits spans into source lines at `\n`. */
function splitLines(spans: Span[]): Line[] {
  const lines: Line[] = [[]];
  for (const span of spans) {
    span.text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part !== '') lines.at(-1)!.push({ text: part, style: span.style });
    });
  }
  return lines;
}

/** The lines of a code block, coloured when its language is known. */
export function highlightCode(code: string, lang: string | undefined, lowlight: Lowlight): Line[] {
  const name = lang?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!name || code.length > MAX_HIGHLIGHT_CHARS || !lowlight.registered(name)) return splitLines([{ text: code, style: {} }]);
  const spans: Span[] = [];
  collect(lowlight.highlight(name, code).children, {}, spans);
  return splitLines(spans);
}
