// Renders a script as a streamed Chat Completions reply: `data:` SSE frames of chat.completion.chunk objects,
// a finish chunk, a usage chunk (stream_options.include_usage) and `[DONE]`.
import { pieces, scriptedUsage } from './model-script.js';
import type { ScriptEvent } from './model-script.js';
import type { RenderedStream } from './model-server-responses.js';

export class ChatRender implements RenderedStream {
  private readonly id: string;
  private failed = false;
  private calls = 0;
  private first = true;

  constructor(
    private readonly script: readonly ScriptEvent[],
    private readonly model: string,
    n: number,
  ) {
    this.id = `chatcmpl-${n}`;
  }

  private chunk(fields: Record<string, unknown>): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: 0, model: this.model, ...fields })}\n\n`;
  }

  private delta(delta: Record<string, unknown>): string {
    // The first delta carries the role, as OpenAI's does.
    const withRole = this.first ? { role: 'assistant', ...delta } : delta;
    this.first = false;
    return this.chunk({ choices: [{ index: 0, delta: withRole, finish_reason: null, logprobs: null }] });
  }

  *events(): Generator<string> {
    for (const ev of this.script) {
      switch (ev.type) {
        case 'text':
          yield this.delta({ content: ev.text });
          break;
        case 'reasoning':
          yield this.delta({ [ev.chatField]: ev.text });
          break;
        case 'toolCall': {
          const index = this.calls++;
          const id = ev.callId ?? `call_${index}`;
          let firstPiece = true;
          for (const args of pieces(ev.arguments, ev.chunks)) {
            const call = firstPiece
              ? { index, id, type: 'function', function: { name: ev.name, arguments: args } }
              : { index, function: { arguments: args } };
            firstPiece = false;
            yield this.delta({ tool_calls: [call] });
          }
          break;
        }
        case 'usage':
          break; // Sent after the finish chunk.
        case 'failure':
          this.failed = true;
          yield `data: ${JSON.stringify({ error: { message: ev.message, code: ev.code, type: 'server_error' } })}\n\n`;
          return;
      }
    }
  }

  *terminal(): Generator<string> {
    if (this.failed) return;
    const finish = this.calls > 0 ? 'tool_calls' : 'stop';
    yield this.chunk({ choices: [{ index: 0, delta: {}, finish_reason: finish, logprobs: null }] });
    const u = scriptedUsage(this.script);
    if (u) {
      const usage = {
        prompt_tokens: u.input,
        prompt_tokens_details: { cached_tokens: u.cached },
        completion_tokens: u.output,
        completion_tokens_details: { reasoning_tokens: u.reasoning },
        total_tokens: u.input + u.output,
      };
      yield this.chunk({ choices: [], usage });
    }
    yield 'data: [DONE]\n\n';
  }
}
