// The agent bench's baseline: a bare Node process that reads one streamed chat completion to the end with the
// openai SDK and prints the answer, as `corral exec` does. Started the same way (node, bundled), so the two
// are compared with process start-up included.
//   node dist/bench/sdk-read.js http://127.0.0.1:PORT/v1
import OpenAI from 'openai';

const baseURL = process.argv[2];
if (!baseURL) {
  process.stderr.write('usage: sdk-read.js BASE_URL\n');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
const stream = await client.chat.completions.create({
  model: 'bench',
  messages: [{ role: 'user', content: 'go' }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
