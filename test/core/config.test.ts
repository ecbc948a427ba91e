import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { CONFIG_EXAMPLE, type Config, DEFAULT_CONFIG, loadConfig, resolveModel } from '../../src/core/config.js';

const home = (toml?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-config-'));
  if (toml !== undefined) writeFileSync(join(dir, 'config.toml'), toml);
  return dir;
};

const load = (toml?: string, overrides: string[] = []) => loadConfig(home(toml), overrides);

// A config.toml as a Codex user has it: corral uses model, model_provider, approval_policy and the provider.
const CODEX_CONFIG = `
model = "qwen2.5-coder"
model_provider = "local"
model_reasoning_effort = "high"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"
notify = ["notify-send", "Codex"]
hide_agent_reasoning = true

[model_providers.local]
name = "Local vLLM"
base_url = "http://127.0.0.1:8000/v1"
wire_api = "chat"
env_key = "LOCAL_KEY"
query_params = { "api-version" = "2025-01-01" }
http_headers = { "X-Team" = "tools" }
env_http_headers = { "X-Secret" = "SECRET_ENV" }
request_max_retries = 2
stream_max_retries = 3
stream_idle_timeout_ms = 60000
requires_openai_auth = false

[profiles.fast]
model = "gpt-5-mini"
approval_policy = "never"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

[sandbox_workspace_write]
network_access = true

[tui]
notifications = true

[history]
persistence = "save-all"

[projects."/home/me/src/app"]
trust_level = "trusted"
`;

describe('config.toml', () => {
  it('uses the defaults when there is no file', () => {
    expect(load()).toEqual({ config: DEFAULT_CONFIG, warnings: [] });
    expect(DEFAULT_CONFIG).toEqual({
      model: null,
      model_provider: 'openai',
      approval_policy: 'on-request',
      model_providers: {},
      terminals: { foreground_window_ms: 10_000, stop_grace_ms: 2_000, log_max_mb: 64, logs_total_mb: 1024, log_max_age_days: 7 },
      notify: { bell: false, osc9: false },
    });
  });

  it('reads the terminal settings', () => {
    const { config, warnings } = load('[terminals]\nforeground_window_ms = 2500\nlog_max_mb = 8\n');
    expect(warnings).toEqual([]);
    expect(config.terminals).toEqual({ foreground_window_ms: 2500, stop_grace_ms: 2_000, log_max_mb: 8, logs_total_mb: 1024, log_max_age_days: 7 });
  });

  it('reads the notify settings, and a bad one costs only itself', () => {
    const { config, warnings } = load('[notify]\nbell = true\nosc9 = "yes"\n');
    expect(config.notify).toEqual({ bell: true, osc9: false });
    expect(warnings).toEqual([expect.stringMatching(/^config: notify\.osc9 = "yes": .*; using false$/)]);
  });

  it("loads a Codex user's config.toml: model and provider, the rest ignored with one warning", () => {
    const { config, warnings } = load(CODEX_CONFIG);
    expect(config.model).toBe('qwen2.5-coder');
    expect(config.model_provider).toBe('local');
    expect(config.approval_policy).toBe('on-request');
    expect(config.model_providers.local).toMatchObject({
      name: 'Local vLLM',
      base_url: 'http://127.0.0.1:8000/v1',
      wire_api: 'chat',
      env_key: 'LOCAL_KEY',
      query_params: { 'api-version': '2025-01-01' },
      http_headers: { 'X-Team': 'tools' },
      request_max_retries: 2,
      stream_idle_timeout_ms: 60_000,
    });
    expect(warnings).toHaveLength(1);
    const unknown = warnings[0]!;
    for (const key of [
      'model_reasoning_effort',
      'sandbox_mode',
      'notify',
      'hide_agent_reasoning',
      'profiles',
      'mcp_servers',
      'sandbox_workspace_write',
      'tui',
      'history',
      'projects',
      'model_providers.local.env_http_headers',
      'model_providers.local.stream_max_retries',
      'model_providers.local.requires_openai_auth',
    ]) {
      expect(unknown).toContain(key);
    }
    // Only top-level names of unknown tables: not the paths inside them.
    expect(unknown).not.toContain('/home/me');
  });

  it('maps the approval policies: never stays, the others ask', () => {
    for (const [value, policy] of [['never', 'never'], ['on-request', 'on-request'], ['untrusted', 'on-request'], ['on-failure', 'on-request']]) {
      const { config, warnings } = load(`approval_policy = "${value}"\n`);
      expect(warnings).toEqual([]);
      expect(config.approval_policy).toBe(policy);
    }
  });

  it('one bad value costs only that setting, with a warning naming the key, the problem and the default', () => {
    const { config, warnings } = load(
      [
        'model = "llama3"',
        'approval_policy = "sometimes"',
        '[terminals]',
        'foreground_window_ms = 5',
        'stop_grace_ms = 500',
        '[model_providers.mine]',
        'base_url = "not a url"',
        'wire_api = "grpc"',
        'request_max_retries = 1000',
        'env_key = "MINE_KEY"',
        'http_headers = { Authorization = 42 }',
      ].join('\n'),
    );
    expect(config.model).toBe('llama3');
    expect(config.approval_policy).toBe('on-request');
    expect(config.terminals).toMatchObject({ foreground_window_ms: 10_000, stop_grace_ms: 500 });
    expect(config.model_providers.mine).toMatchObject({ env_key: 'MINE_KEY', base_url: undefined, wire_api: undefined, request_max_retries: undefined });
    expect(warnings).toHaveLength(6);
    const find = (key: string) => warnings.find((w) => w.includes(key)) ?? '';
    expect(find('approval_policy')).toMatch(/approval_policy = "sometimes": .*expected one of.*; using "on-request"/);
    expect(find('terminals.foreground_window_ms')).toMatch(/= 5: .*>=250; using 10000$/);
    expect(find('model_providers.mine.base_url')).toMatch(/"not a url": .*URL.*; using the default/);
    expect(find('model_providers.mine.wire_api')).toContain('"grpc"');
    expect(find('model_providers.mine.request_max_retries')).toContain('<=100');
    // A header's value may be a secret: the warning names the key, never the value.
    expect(find('model_providers.mine.http_headers.Authorization')).not.toContain('42');
  });

  it('warns about a table in the wrong shape and keeps the rest', () => {
    const { config, warnings } = load('model = "m"\nterminals = 3\nmodel_providers = { a = "b" }\n');
    expect(config.model).toBe('m');
    expect(config.terminals).toEqual(DEFAULT_CONFIG.terminals);
    expect(warnings).toEqual([
      'config: model_providers.a must be a table ([model_providers.a]); ignored',
      'config: terminals must be a table ([terminals]); ignored',
    ]);
  });

  it('names the line of a TOML syntax error and uses the defaults, never quoting the file', () => {
    const { config, warnings } = load('model = "x"\nhttp_headers = { Authorization = "Bearer sk-secret" }\n[terminals\n');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/config\.toml: not valid TOML at line 3, column \d+: .*; using the defaults$/);
    expect(warnings[0]).not.toContain('sk-secret');
  });

  it('refuses a file too large to be a config, and reports one it cannot read', () => {
    const big = load(`# ${'x'.repeat(1024 * 1024)}\nmodel = "m"\n`);
    expect(big.config).toEqual(DEFAULT_CONFIG);
    expect(big.warnings[0]).toContain('larger than 1024 KiB');
    const dir = home();
    mkdirSync(join(dir, 'config.toml'));
    const unreadable = loadConfig(dir);
    expect(unreadable.config).toEqual(DEFAULT_CONFIG);
    expect(unreadable.warnings[0]).toContain('cannot read it');
  });
});

describe('-c overrides', () => {
  it('sets dotted keys with typed TOML values on top of the file', () => {
    const { config, warnings } = load('model = "from-file"\n[model_providers.local]\nname = "L"\n', [
      'model_providers.local.base_url="http://127.0.0.1:9000/v1"',
      'model_providers.local.request_max_retries=7',
      'model_providers.local.http_headers={ X-A = "1" }',
      'terminals.stop_grace_ms = 300',
      'model_providers."with.dot".wire_api="chat"',
    ]);
    expect(warnings).toEqual([]);
    expect(config.model).toBe('from-file');
    expect(config.model_providers.local).toMatchObject({ name: 'L', base_url: 'http://127.0.0.1:9000/v1', request_max_retries: 7, http_headers: { 'X-A': '1' } });
    expect(config.terminals.stop_grace_ms).toBe(300);
    expect(config.model_providers['with.dot']?.wire_api).toBe('chat');
  });

  it('falls back to a plain string when the value is not TOML', () => {
    const { config, warnings } = load('model = "a"\n', ['model=gpt-5', 'approval_policy=never', 'model_provider=lmstudio']);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({ model: 'gpt-5', approval_policy: 'never', model_provider: 'lmstudio' });
  });

  it('validates overridden values like the file, and warns about malformed ones', () => {
    const { config, warnings } = load(undefined, ['terminals.stop_grace_ms=-1', 'model', 'model=ok']);
    expect(config.terminals.stop_grace_ms).toBe(2_000);
    expect(config.model).toBe('ok');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('expected key=value');
    expect(warnings[1]).toContain('terminals.stop_grace_ms');
  });

  it('applies on top of defaults when the file is not TOML', () => {
    const { config, warnings } = load('[[[', ['model=m']);
    expect(config.model).toBe('m');
    expect(warnings).toHaveLength(1);
  });

  it('cannot reach the prototype', () => {
    const { config, warnings } = load(undefined, ['__proto__.polluted=1', 'model_providers.__proto__.base_url="http://x"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(config.model).toBeNull();
    expect('base_url' in config.model_providers).toBe(false);
    expect(warnings.join('\n')).toContain('__proto__');
  });
});

describe('resolveModel', () => {
  const withModel = (patch: Partial<Config>): Config => ({ ...DEFAULT_CONFIG, model: 'm', ...patch });

  it('needs a model', () => {
    const result = resolveModel(DEFAULT_CONFIG, { OPENAI_API_KEY: 'k' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('model is not set');
  });

  it('resolves the built-in openai provider with its key and OPENAI_BASE_URL', () => {
    const result = resolveModel(withModel({ model: 'gpt-5' }), { OPENAI_API_KEY: 'sk-x' });
    expect(result).toEqual({
      ok: true,
      model: 'gpt-5',
      provider: {
        id: 'openai',
        name: 'OpenAI',
        baseUrl: 'https://api.openai.com/v1',
        envKey: 'OPENAI_API_KEY',
        wireApi: 'responses',
        queryParams: {},
        httpHeaders: {},
        requestMaxRetries: 4,
        streamIdleTimeoutMs: 300_000,
      },
    });
    const proxied = resolveModel(withModel({}), { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' });
    expect(proxied.ok && proxied.provider.baseUrl).toBe('http://127.0.0.1:1/v1');
  });

  it('is not ok when the key variable is empty or missing', () => {
    for (const env of [{}, { OPENAI_API_KEY: '' }]) {
      const result = resolveModel(withModel({}), env);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain('$OPENAI_API_KEY');
    }
  });

  it('resolves the local built-ins without a key', () => {
    const ollama = resolveModel(withModel({ model_provider: 'ollama' }), {});
    expect(ollama.ok && ollama.provider).toMatchObject({ id: 'ollama', baseUrl: 'http://localhost:11434/v1', envKey: null, wireApi: 'chat' });
    const lmstudio = resolveModel(withModel({ model_provider: 'lmstudio' }), {});
    expect(lmstudio.ok && lmstudio.provider).toMatchObject({ baseUrl: 'http://localhost:1234/v1', envKey: null, wireApi: 'chat' });
  });

  it("lets a user's table of a built-in's name override some of its fields", () => {
    const { config } = load('model = "llama3"\nmodel_provider = "ollama"\n[model_providers.ollama]\nbase_url = "http://gpu-box:11434/v1"\nrequest_max_retries = 0\n');
    const result = resolveModel(config, {});
    expect(result.ok && result.provider).toMatchObject({
      id: 'ollama',
      name: 'Ollama',
      baseUrl: 'http://gpu-box:11434/v1',
      wireApi: 'chat',
      envKey: null,
      requestMaxRetries: 0,
    });
  });

  it('resolves a provider of its own, with defaults for what it leaves out', () => {
    const { config } = load(CODEX_CONFIG);
    expect(resolveModel(config, {})).toEqual({ ok: false, reason: expect.stringContaining('$LOCAL_KEY') as string });
    const result = resolveModel(config, { LOCAL_KEY: 'k' });
    expect(result).toEqual({
      ok: true,
      model: 'qwen2.5-coder',
      provider: {
        id: 'local',
        name: 'Local vLLM',
        baseUrl: 'http://127.0.0.1:8000/v1',
        envKey: 'LOCAL_KEY',
        wireApi: 'chat',
        queryParams: { 'api-version': '2025-01-01' },
        httpHeaders: { 'X-Team': 'tools' },
        requestMaxRetries: 2,
        streamIdleTimeoutMs: 60_000,
      },
    });
    const bare = resolveModel(load('model = "m"\nmodel_provider = "vllm"\n[model_providers.vllm]\nbase_url = "http://h/v1"\n').config, {});
    expect(bare.ok && bare.provider).toMatchObject({ name: 'vllm', envKey: null, wireApi: 'responses', requestMaxRetries: 4, streamIdleTimeoutMs: 300_000 });
  });

  it('is not ok for an unknown provider or one without base_url', () => {
    const unknown = resolveModel(withModel({ model_provider: 'nope' }), {});
    expect(!unknown.ok && unknown.reason).toMatch(/"nope" is not defined \(known: openai, ollama, lmstudio\)/);
    const noUrl = resolveModel(withModel({ model_provider: 'x', model_providers: { x: { name: 'X' } as Config['model_providers'][string] } }), {});
    expect(!noUrl.ok && noUrl.reason).toContain('no base_url');
    for (const r of [unknown, noUrl]) expect(!r.ok && r.reason).not.toContain('\n');
  });

  it('has an example config.toml that works as it is', () => {
    expect(CONFIG_EXAMPLE.split('\n')).toHaveLength(3);
    expect(CONFIG_EXAMPLE).toContain('OPENAI_API_KEY');
    const { config, warnings } = load(CONFIG_EXAMPLE);
    expect(warnings).toEqual([]);
    expect(parse(CONFIG_EXAMPLE)).toMatchObject({ model_provider: 'ollama' });
    expect(resolveModel(config, {}).ok).toBe(true);
  });
});
