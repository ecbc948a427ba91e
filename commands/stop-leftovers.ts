// What /stop says about an earlier run's leftovers: /stop alone never touches them, so it says how many remain.

export function leftoverNote(n: number): string {
  return `${n} process${n === 1 ? '' : 'es'} left by an earlier run still running (see /ps); stop one with /stop <pid>.`;
}
