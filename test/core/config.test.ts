import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../src/core/config.js';

const home = (toml?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-config-'));
  if (toml !== undefined) writeFileSync(join(dir, 'config.toml'), toml);
  return dir;
};

describe('config.toml', () => {
  it('uses the defaults when there is no file', () => {
    expect(loadConfig(home())).toEqual({ config: DEFAULT_CONFIG, warnings: [] });
    expect(DEFAULT_CONFIG.terminals).toEqual({ foreground_window_ms: 10_000, stop_grace_ms: 2_000 });
  });

  it('reads the terminal settings', () => {
    const { config, warnings } = loadConfig(home('[terminals]\nforeground_window_ms = 2500\n'));
    expect(warnings).toEqual([]);
    expect(config.terminals).toEqual({ foreground_window_ms: 2500, stop_grace_ms: 2_000 });
  });

  it('warns and falls back to the defaults on a bad value or bad TOML', () => {
    const bad = loadConfig(home('[terminals]\nforeground_window_ms = 5\n'));
    expect(bad.config).toEqual(DEFAULT_CONFIG);
    expect(bad.warnings[0]).toContain('terminals.foreground_window_ms');
    const broken = loadConfig(home('[terminals\n'));
    expect(broken.config).toEqual(DEFAULT_CONFIG);
    expect(broken.warnings).toHaveLength(1);
    const unknown = loadConfig(home('[terminals]\nforground_window_ms = 3000\n'));
    expect(unknown.warnings[0]).toContain('forground_window_ms');
  });
});
