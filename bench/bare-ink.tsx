// The baseline for tui-bench's first-frame ratio: the least an Ink program can do (one line of text), bundled
// the same way as corral, so the ratio shows what corral adds to start-up on top of Node, React and Ink.
import { Text, render } from 'ink';
import React from 'react';

const app = render(<Text>ready</Text>);
const quit = (): void => {
  app.unmount();
  process.exit(0);
};
// Stay up like a TUI would: until the terminal goes away or we are told to stop.
process.stdin.on('end', quit);
process.stdin.on('close', quit);
process.stdin.resume();
process.on('SIGTERM', quit);
process.on('SIGHUP', quit);
