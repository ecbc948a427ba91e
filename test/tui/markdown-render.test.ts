// renderMarkdown: Markdown to rows of styled spans. Checked on the spans (styles and widths), not on pictures;
// the pictures are in agent-components.test.tsx.
import { describe, expect, it } from 'vitest';
import { loadMarkdown, markdownModules, onMarkdownLoaded } from '../../src/tui/markdown/load.js';
import { renderMarkdown } from '../../src/tui/markdown/render.js';
import { type Line, lineWidth } from '../../src/tui/markdown/spans.js';
import { fitColumns } from '../../src/tui/markdown/table.js';
import { wrapText } from '../../src/tui/markdown/wrap.js';

const lineText = (line: Line): string => line.map((s) => s.text).join('');
const texts = (lines: Line[]): string[] => lines.map(lineText);
const spanOf = (lines: Line[], text: string) => lines.flat().find((s) => s.text === text);

describe('before the Markdown modules are loaded', () => {
  it('shows plain wrapped text, then Markdown once they are', async () => {
    expect(markdownModules()).toBeNull();
    expect(texts(renderMarkdown('# Title\n\nSome **bold** words', 14))).toEqual(['# Title', '', 'Some **bold**', 'words']);
    let told = 0;
    const off = onMarkdownLoaded(() => (told += 1));
    await Promise.all([loadMarkdown(), loadMarkdown()]);
    off();
    expect(told).toBe(1);
    expect(texts(renderMarkdown('# Title\n\nSome **bold** words', 14))).toEqual(['Title', '', 'Some bold', 'words']);
  });
});

describe('renderMarkdown', () => {
  it('styles inline elements', () => {
    const lines = renderMarkdown('*it* **bold** `code` ~~gone~~ [docs](https://x.dev) <https://y.dev>', 80);
    expect(spanOf(lines, 'it')?.style).toMatchObject({ italic: true });
    expect(spanOf(lines, 'bold')?.style).toMatchObject({ bold: true });
    expect(spanOf(lines, 'code')?.style).toMatchObject({ color: 'yellow' });
    expect(spanOf(lines, 'gone')?.style).toMatchObject({ strikethrough: true });
    expect(spanOf(lines, ' (https://x.dev)')?.style).toMatchObject({ dimColor: true });
    expect(texts(lines)).toEqual(['it bold code gone docs (https://x.dev) https://y.dev']);
  });

  it('colours code by language and keeps indentation', () => {
    const lines = renderMarkdown('```ts\nconst a = "s"; // note\nif (a) {\n    return 1;\n}\n```', 80);
    expect(texts(lines)).toEqual(['ts', '  const a = "s"; // note', '  if (a) {', '      return 1;', '  }']);
    expect(spanOf(lines, 'const')?.style.color).toBe('magenta');
    expect(spanOf(lines, '"s"')?.style.color).toBe('green');
    expect(spanOf(lines, '// note')?.style).toMatchObject({ dimColor: true, italic: true });
    expect(spanOf(lines, '1')?.style.color).toBe('yellow');
    // An unknown language is shown uncoloured, with its label.
    expect(renderMarkdown('```nosuchlang\nx = 1\n```', 80).flat().every((s) => s.style.color === undefined)).toBe(true);
  });

  it('wraps long code lines without breaking characters', () => {
    const code = `const s = "${'日本語'.repeat(20)}";`;
    const lines = renderMarkdown('```ts\n' + code + '\n```', 30);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(30);
    // Only the spaces where a row breaks are dropped.
    const noSpace = (t: string): string => t.replace(/ /g, '');
    expect(noSpace(texts(lines).slice(1).join(''))).toBe(noSpace(code));
    expect(lines.length).toBeGreaterThan(4);
  });

  it('numbers ordered lists from their start and aligns the markers', () => {
    const items = Array.from({ length: 11 }, (_, i) => `${i + 1}. item ${i + 1}`).join('\n');
    const lines = texts(renderMarkdown(items, 80));
    expect(lines[0]).toBe('1.  item 1');
    expect(lines[10]).toBe('11. item 11');
    expect(texts(renderMarkdown('7. seven\n8. eight', 80))).toEqual(['7. seven', '8. eight']);
  });

  it('indents wrapped list items under their text', () => {
    expect(texts(renderMarkdown('- [ ] a task with words that wrap here', 20))).toEqual(['- [ ] a task with', '      words that', '      wrap here']);
  });

  it('fits tables to the width and cuts cells', () => {
    const table = '| name | description |\n|---|---|\n| a | ' + 'word '.repeat(30) + '|';
    const lines = renderMarkdown(table, 40);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(40);
    expect(lineText(lines[2]!)).toMatch(/^a {4}│ word word .*…$/);
    expect(spanOf(lines, 'name')?.style.bold).toBe(true);
    expect(fitColumns([10, 50, 5], 40)).toEqual([10, 19, 5]);
  });

  it('strips control characters and escape sequences from the text', () => {
    const out = texts(renderMarkdown('\u001b[31mred\u001b[0m \u0007bell\u009b2J and `\u001b]0;title\u0007code`', 80)).join('\n');
    expect(out).toBe('red bell and code');
  });

  it('keeps every row within the width, whatever the input', () => {
    const nasty = ['# ' + 'x'.repeat(200), '- ' + 'y'.repeat(200), '> ' + '🎉'.repeat(100), '| a |\n|---|\n| ' + 'z'.repeat(300) + ' |'].join('\n\n');
    for (const width of [10, 33, 80]) for (const l of renderMarkdown(nasty, width)) expect(lineWidth(l)).toBeLessThanOrEqual(width);
  });
});

describe('wrapText', () => {
  it('breaks between words and drops the spaces at the break', () => {
    expect(texts(wrapText('alpha beta gamma delta', 11))).toEqual(['alpha beta', 'gamma delta']);
    expect(texts(wrapText('  indented line', 40))).toEqual(['  indented line']);
    expect(texts(wrapText('abcdefghij', 4))).toEqual(['abcd', 'efgh', 'ij']);
  });
});
