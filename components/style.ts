// Screen-cell styles to Ink text props.
import type { TextProps } from 'ink';
import type { ScreenLine } from '../src/tui/cells.js';

type Color = NonNullable<ScreenLine['spans'][number]['style']['fg']>;

const NAMED = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

export function inkColor(c: Color | undefined): string | undefined {
  if (!c) return undefined;
  if (c.mode === 'rgb') return `#${c.rgb.toString(16).padStart(6, '0')}`;
  return NAMED[c.index] ?? `ansi256(${c.index})`;
}

export function textProps(style: ScreenLine['spans'][number]['style']): TextProps {
  return {
    color: inkColor(style.fg),
    backgroundColor: inkColor(style.bg),
    bold: style.bold,
    dimColor: style.dim,
    italic: style.italic,
    underline: style.underline,
    inverse: style.inverse,
    strikethrough: style.strikethrough,
  };
}
