// Renders a script as a streamed Responses API reply: `event:` + `data:` SSE frames, with the output items,
// content parts and sequence numbers OpenAI sends.
import { pieces, scriptedUsage } from './model-script.js';
import type { ScriptEvent } from './model-script.js';

export interface RenderedStream {
  /** Frames for the scripted events; stops after a failure event. */
  events(): Generator<string>;
  /** Frames that end a complete response (nothing after a failure). */
  terminal(): Generator<string>;
}

type Item = Record<string, unknown> & { id: string; type: string };

export class ResponsesRender implements RenderedStream {
  private seq = 0;
  private readonly id: string;
  private readonly output: Item[] = [];
  private open: { item: Item; text: string; part: number } | null = null;
  private failed = false;
  private calls = 0;

  constructor(
    private readonly script: readonly ScriptEvent[],
    private readonly model: string,
    n: number,
  ) {
    this.id = `resp_${n}`;
  }

  private frame(type: string, fields: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...fields })}\n\n`;
  }

  private response(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id: this.id, object: 'response', created_at: 0, status, model: this.model, output: this.output, usage: null, ...extra };
  }

  private *openItem(type: 'message' | 'reasoning'): Generator<string> {
    if (this.open?.item.type === type) return;
    yield* this.closeItem();
    const item: Item =
      type === 'message'
        ? { id: `msg_${this.output.length}`, type, role: 'assistant', status: 'in_progress', content: [] }
        : { id: `rs_${this.output.length}`, type, summary: [] };
    this.open = { item, text: '', part: -1 };
    yield this.frame('response.output_item.added', { output_index: this.output.length, item });
    if (type === 'message') {
      const part = { type: 'output_text', text: '', annotations: [] };
      yield this.frame('response.content_part.added', { item_id: item.id, output_index: this.output.length, content_index: 0, part });
    }
  }

  private *closeItem(): Generator<string> {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const { item, text } = open;
    const at = { item_id: item.id, output_index: this.output.length };
    if (item.type === 'message') {
      const part = { type: 'output_text', text, annotations: [] };
      yield this.frame('response.output_text.done', { ...at, content_index: 0, text });
      yield this.frame('response.content_part.done', { ...at, content_index: 0, part });
      Object.assign(item, { status: 'completed', content: [part] });
    }
    yield this.frame('response.output_item.done', { output_index: this.output.length, item });
    this.output.push(item);
  }

  *events(): Generator<string> {
    yield this.frame('response.created', { response: this.response('in_progress') });
    for (const ev of this.script) {
      switch (ev.type) {
        case 'text': {
          yield* this.openItem('message');
          const open = this.open!;
          open.text += ev.text;
          yield this.frame('response.output_text.delta', { item_id: open.item.id, output_index: this.output.length, content_index: 0, delta: ev.text, logprobs: [] });
          break;
        }
        case 'reasoning': {
          yield* this.openItem('reasoning');
          const open = this.open!;
          const at = { item_id: open.item.id, output_index: this.output.length };
          if (ev.as === 'text') {
            yield this.frame('response.reasoning_text.delta', { ...at, content_index: ev.index, delta: ev.text });
            break;
          }
          if (open.part !== ev.index) {
            open.part = ev.index;
            yield this.frame('response.reasoning_summary_part.added', { ...at, summary_index: ev.index, part: { type: 'summary_text', text: '' } });
          }
          yield this.frame('response.reasoning_summary_text.delta', { ...at, summary_index: ev.index, delta: ev.text });
          break;
        }
        case 'toolCall': {
          yield* this.closeItem();
          const n = this.calls++;
          const item: Item = { id: `fc_${this.output.length}`, type: 'function_call', status: 'in_progress', call_id: ev.callId ?? `call_${n}`, name: ev.name, arguments: '' };
          const at = { item_id: item.id, output_index: this.output.length };
          yield this.frame('response.output_item.added', { output_index: this.output.length, item });
          for (const delta of pieces(ev.arguments, ev.chunks)) yield this.frame('response.function_call_arguments.delta', { ...at, delta });
          yield this.frame('response.function_call_arguments.done', { ...at, arguments: ev.arguments });
          Object.assign(item, { status: 'completed', arguments: ev.arguments });
          yield this.frame('response.output_item.done', { output_index: this.output.length, item });
          this.output.push(item);
          break;
        }
        case 'usage':
          break; // Reported in response.completed.
        case 'failure':
          this.failed = true;
          if (ev.as === 'error') {
            yield this.frame('error', { code: ev.code, message: ev.message, param: null });
          } else {
            yield this.frame('response.failed', { response: this.response('failed', { error: { code: ev.code, message: ev.message } }) });
          }
          return;
      }
    }
  }

  *terminal(): Generator<string> {
    if (this.failed) return;
    yield* this.closeItem();
    const u = scriptedUsage(this.script);
    const usage = u && {
      input_tokens: u.input,
      input_tokens_details: { cached_tokens: u.cached },
      output_tokens: u.output,
      output_tokens_details: { reasoning_tokens: u.reasoning },
      total_tokens: u.input + u.output,
    };
    yield this.frame('response.completed', { response: this.response('completed', { usage }) });
  }
}
