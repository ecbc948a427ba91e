// How figures read on screen.

/** Compact age or uptime: 850ms, 2s, 5m12s, 1h03m, 2d4h. */
export function compactDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** Seconds with one decimal, as a stop report gives them: 0.2 s, 2.0 s. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A command's run time: 42ms, 1.3s, 15s, 5m12s. */
export function runTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return compactDuration(ms);
}

/** An amount of output: 812 B, 24 KB, 3.1 MB, 26 MB. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return kb < 10 ? `${kb.toFixed(1)} KB` : `${Math.round(kb)} KB`;
  return megabytes(kb);
}

export function megabytes(kb: number): string {
  const mb = kb / 1024;
  return mb < 10 ? `${mb.toFixed(1)} MB` : `${Math.round(mb)} MB`;
}

export function percent(p: number): string {
  return `${Math.round(p)}%`;
}

/** How a process ended, in a few words: `exit 0`, `SIGTERM`. */
export function ending(exitCode: number | null, signal: string | null): string {
  if (signal) return signal;
  return exitCode === null ? 'unknown status' : `exit ${exitCode}`;
}
