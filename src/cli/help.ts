// The usage text of each command (`corral --help`, `corral exec --help`, ...).
import { VERSION } from '../version.js';

const MODEL_OPTIONS = `  -m, --model MODEL         the model to use (the model setting)
      --provider NAME       its provider (model_provider): openai, ollama, lmstudio or a
                            [model_providers.NAME] of config.toml
  -c, --config KEY=VALUE    override a config.toml setting; repeatable. KEY may be dotted and VALUE
                            is TOML, or else a plain string: -c approval_policy=never,
                            -c model_providers.local.base_url="http://127.0.0.1:8000/v1"`;

const FOOTER = 'Settings are read from $CORRAL_HOME/config.toml (by default ~/.corral/config.toml).';

export const HELP = {
  tui: `corral ${VERSION}: a terminal chat client for developers, with background terminals

Usage:
  corral [OPTIONS]                    chat with a model that can run commands
  corral exec [OPTIONS] PROMPT        run one prompt without the chat and print the answer
  corral resume [--last | THREAD_ID]  continue an earlier conversation
  corral app-server [--listen URL]    serve the app-server protocol (JSON-RPC) to another program

Options:
${MODEL_OPTIONS}
  -h, --help                show this help; corral COMMAND --help shows a command's
  -V, --version             print the version

${FOOTER}
`,
  exec: `Usage: corral exec [OPTIONS] PROMPT

Runs one prompt to completion without the chat: the answer goes to stdout, progress to stderr.
With - as PROMPT the prompt is read from stdin. Exits 0 when the turn completed, 1 when it failed.
Commands that need approval fail the turn unless --full-auto allows them.

Options:
      --json                print every event as a JSON line on stdout instead
      --full-auto           run commands without asking (approval_policy = "never")
  -C, --cd DIR              work in DIR instead of the current directory
${MODEL_OPTIONS}
  -h, --help                show this help

${FOOTER}
`,
  resume: `Usage: corral resume [OPTIONS] [THREAD_ID]

Continues an earlier conversation in the chat: the one with THREAD_ID, the newest one with --last,
or else the one picked from a list.

Options:
      --last                the most recent conversation
${MODEL_OPTIONS}
  -h, --help                show this help

${FOOTER}
`,
  'app-server': `Usage: corral app-server [OPTIONS]

       corral app-server generate-json-schema --out DIR

Serves Codex's app-server protocol (JSON-RPC 2.0) to another program: an editor, a desktop app, a script.
On stdio (the default) it reads one JSON message per line on stdin and writes them to stdout; logs go to stderr.
With --listen ws://127.0.0.1:PORT it serves WebSocket connections; each must send the token the server prints
(or CORRAL_APP_SERVER_TOKEN) as "Authorization: Bearer TOKEN". generate-json-schema writes the JSON Schemas of
every method and notification to DIR.

Options:
      --listen URL          stdio:// (default) or ws://HOST:PORT (loopback unless HOST says otherwise)
      --out DIR             where generate-json-schema writes
  -c, --config KEY=VALUE    override a config.toml setting; repeatable
  -h, --help                show this help
`,
} as const;
