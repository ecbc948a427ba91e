// Which of the model's commands need the person's approval: the policy, plus the prefixes the person allowed
// for the rest of the session ("always").

export type ApprovalPolicy = 'on-request' | 'never';

/** Programs whose first argument says what they do (`npm run`, `git status`): the prefix keeps two words. */
const RUNNERS = new Set(['npm', 'npx', 'pnpm', 'yarn', 'bun', 'python', 'python3', 'node', 'cargo', 'go', 'git', 'make', 'uv', 'pip', 'docker']);

/** Anything that chains, substitutes or redirects makes a command more than its prefix says. */
const COMPOUND = /[;&|`<>]|\$\(|\n/;

/** The words an "always" answer allows: the program, and its subcommand for runners. */
export function commandPrefix(command: string): string[] {
  const words = command.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  return RUNNERS.has(first) && words[1] && !words[1].startsWith('-') ? words.slice(0, 2) : words.slice(0, 1);
}

export class ApprovalGate {
  private readonly allowed: string[][] = [];

  constructor(public policy: ApprovalPolicy) {}

  needsApproval(command: string): boolean {
    if (this.policy === 'never') return false;
    if (COMPOUND.test(command)) return true;
    const words = command.trim().split(/\s+/);
    return !this.allowed.some((prefix) => prefix.every((w, i) => words[i] === w));
  }

  /** The person answered "always" for this command's prefix. */
  allowPrefix(command: string): void {
    const prefix = commandPrefix(command);
    if (prefix.length > 0) this.allowed.push(prefix);
  }
}
