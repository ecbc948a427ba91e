// How a command string becomes argv: through the user's shell, as a login shell or not.

export interface ShellInvocation {
  file: string;
  args: string[];
}

export function userShell(env: NodeJS.ProcessEnv = process.env): string {
  const shell = env.SHELL;
  return shell && shell.startsWith('/') ? shell : '/bin/bash';
}

export function shellInvocation(command: string, login: boolean, shell = userShell()): ShellInvocation {
  return { file: shell, args: [login ? '-lc' : '-c', command] };
}
