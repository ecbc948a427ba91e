// The environment a child sees. Model-run commands get a quiet, non-interactive environment; the user's own
// commands keep colours and a capable terminal type.

export type EnvProfile = 'agent' | 'user';

/** Overrides applied on top of the inherited environment; `null` removes a variable. */
export type EnvOverrides = Record<string, string | null>;

const PROFILES: Record<EnvProfile, Record<string, string>> = {
  agent: {
    NO_COLOR: '1',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GH_PAGER: 'cat',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    CORRAL: '1',
  },
  user: {
    TERM: 'xterm-256color',
    CORRAL: '1',
  },
};

export function buildEnv(
  profile: EnvProfile,
  overrides: EnvOverrides = {},
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  Object.assign(env, PROFILES[profile]);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}
