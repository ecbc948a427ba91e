// One render of a component with ink-testing-library: its frame as text, unmounted afterwards.
import { render } from 'ink-testing-library';
import type React from 'react';

export function frame(node: React.ReactElement): string {
  const { lastFrame, unmount } = render(node);
  const out = lastFrame() ?? '';
  unmount();
  return out;
}
