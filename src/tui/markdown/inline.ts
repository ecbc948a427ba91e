// Inline Markdown (emphasis, code, links, …) to styled spans. Soft line breaks become spaces, as in HTML.
import type { Token, Tokens } from 'marked';
import type { Span, SpanStyle } from './spans.js';

const INLINE_CODE: SpanStyle = { color: 'yellow' };
const LINK: SpanStyle = { color: 'blue', underline: true };

function text(value: string, style: SpanStyle): Span {
  return { text: value.replace(/\n/g, ' '), style };
}

function link(t: Tokens.Link, style: SpanStyle): Span[] {
  const shown = t.text === t.href || t.href === `mailto:${t.text}`;
  const label = inlineSpans(t.tokens, { ...style, ...LINK });
  return shown ? label : [...label, { text: ` (${t.href})`, style: { ...style, dimColor: true } }];
}

/** Spans for a run of inline tokens, each styled on top of `style`. */
export function inlineSpans(tokens: Token[] | undefined, style: SpanStyle = {}): Span[] {
  const out: Span[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens && t.tokens.length > 0) out.push(...inlineSpans(t.tokens, style));
        else out.push(text(t.text, style));
        break;
      }
      case 'strong':
        out.push(...inlineSpans((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inlineSpans((token as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        out.push(...inlineSpans((token as Tokens.Del).tokens, { ...style, strikethrough: true }));
        break;
      case 'codespan':
        out.push(text((token as Tokens.Codespan).text, { ...style, ...INLINE_CODE }));
        break;
      case 'link':
        out.push(...link(token as Tokens.Link, style));
        break;
      case 'image': {
        const t = token as Tokens.Image;
        out.push({ text: `[image: ${t.text}]`, style: { ...style, dimColor: true } });
        if (t.href) out.push({ text: ` (${t.href})`, style: { ...style, dimColor: true } });
        break;
      }
      case 'br':
        out.push({ text: '\n', style });
        break;
      case 'checkbox':
        break; // drawn by the list item
      case 'escape':
      case 'html':
        out.push(text((token as Tokens.Escape | Tokens.HTML).text, style));
        break;
      default:
        out.push(text(token.raw, style));
    }
  }
  return out;
}
