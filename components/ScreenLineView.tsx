// One line of a command's screen, with its colours, cut to the width it is shown at.
import { Text } from 'ink';
import React from 'react';
import type { ScreenLine } from '../src/tui/cells.js';
import { stringWidth } from '../src/tui/text-width.js';
import { textProps } from './style.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function cutSpans(line: ScreenLine, width: number): ScreenLine['spans'] {
  const out: ScreenLine['spans'] = [];
  let used = 0;
  for (const span of line.spans) {
    const w = stringWidth(span.text);
    if (used + w <= width) {
      out.push(span);
      used += w;
      continue;
    }
    let text = '';
    for (const { segment } of segmenter.segment(span.text)) {
      const sw = stringWidth(segment);
      if (used + sw > width) break;
      text += segment;
      used += sw;
    }
    if (text) out.push({ text, style: span.style });
    break;
  }
  return out;
}

export function ScreenLineView({ line, width }: { line: ScreenLine; width: number }): React.JSX.Element {
  const spans = cutSpans(line, Math.max(0, width));
  return (
    <Text wrap="truncate-end">
      {spans.length === 0 ? ' ' : spans.map((s, i) => (
        <Text key={i} {...textProps(s.style)}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
