// Text printed into the scrollback without Ink laying it out. Ink styles and re-tokenises every character it
// prints, which for a long streamed answer cost more than everything else together; so the transcript gives
// Ink's <Static> a one-line placeholder instead, and the stdout given to Ink puts the text in its place on the
// way to the terminal. The text thus goes out in the very write, at the very point of Ink's frame sequence,
// where Ink would have put it (erase the live region, the text, the region again), for the cost of a copy.
import { randomBytes } from 'node:crypto';

export class PrintChannel {
  private readonly tag = `corral-print-${randomBytes(4).toString('hex')}:`;
  private readonly held = new Map<string, string>();
  private next = 0;

  /** A placeholder line for `text`, which must not end with a newline (Ink ends the line). */
  hold(text: string): string {
    const token = `${this.tag}${this.next++}`;
    this.held.set(token, text);
    return token;
  }

  /** `data` with each placeholder replaced by its text; a placeholder is replaced once, then forgotten. */
  substitute(data: string): string {
    if (this.held.size === 0 || !data.includes(this.tag)) return data;
    return data.replace(new RegExp(`${this.tag}\\d+`, 'g'), (token) => {
      const text = this.held.get(token);
      if (text === undefined) return token;
      this.held.delete(token);
      return text;
    });
  }
}
