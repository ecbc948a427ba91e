// marked and lowlight are loaded after the first frame: a dynamic import() keeps them (and highlight.js's
// grammars) uninitialised in the bundle until then, so start-up does not grow. Until they are in, Markdown is
// shown as plain wrapped text and streamed messages are not split.
import type { Token } from 'marked';
import type { Lowlight } from './highlight.js';

export interface MarkdownModules {
  lex: (markdown: string) => Token[];
  lowlight: Lowlight;
}

let modules: MarkdownModules | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/** Loads the Markdown modules once; later calls return the same promise. */
export function loadMarkdown(): Promise<void> {
  loading ??= (async () => {
    const [{ Lexer }, { createLowlight, common }] = await Promise.all([import('marked'), import('lowlight')]);
    modules = { lex: (markdown) => Lexer.lex(markdown, { gfm: true }), lowlight: createLowlight(common) };
    for (const listener of listeners) listener();
  })();
  return loading;
}

/** The loaded modules, or null while they load. */
export function markdownModules(): MarkdownModules | null {
  return modules;
}

/** Calls `listener` once the modules are loaded (for views that drew plain text before). */
export function onMarkdownLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
