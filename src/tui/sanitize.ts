// Text that did not come through the headless terminal (commands, messages) is shown without any control
// characters, so nothing it contains can act on the real terminal.
import stripAnsi from 'strip-ansi';

// C0 controls except newline, DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

export function sanitize(text: string): string {
  return stripAnsi(text).replace(/\t/g, '    ').replace(CONTROL, '');
}
