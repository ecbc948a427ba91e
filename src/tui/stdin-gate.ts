// The stdin given to Ink, with a switch: while something else has the keyboard (an attached terminal), every
// byte read goes there and Ink sees none, so nothing typed reaches useInput, the composer or a model.
// Ink reads in a 'readable' handler with `stdin.read()` until it returns null; this stdin answers that loop with
// null after handing every chunk it read to the diverter.

export type Diverter = (chunk: string) => void;

export class StdinGate {
  private diverter: Diverter | null = null;
  readonly stdin: NodeJS.ReadStream;

  constructor(real: NodeJS.ReadStream) {
    const read = (...args: unknown[]): unknown => {
      for (;;) {
        const chunk = (real.read as (...a: unknown[]) => string | Buffer | null)(...args);
        if (chunk === null || !this.diverter) return chunk;
        this.diverter(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      }
    };
    this.stdin = new Proxy(real, {
      get(target, prop) {
        if (prop === 'read') return read;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** From now on input goes to `diverter` (null: back to Ink). */
  divert(diverter: Diverter | null): void {
    this.diverter = diverter;
  }

  get diverted(): boolean {
    return this.diverter !== null;
  }
}
