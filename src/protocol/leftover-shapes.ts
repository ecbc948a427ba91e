// corral: processes an earlier corral run left running (its registry file outlived it), listed and stopped by pid.
import { z } from 'zod';

export const LeftoverProcess = z.object({
  osPid: z.number().int(),
  command: z.string(),
  cwd: z.string(),
  startedAtMs: z.number(),
  /** The corral that started it. */
  hostPid: z.number().int(),
});

export const LeftoverStopReport = z.object({
  osPid: z.number().int(),
  command: z.string(),
  terminated: z.boolean(),
  wasRunning: z.boolean(),
  endedBy: z.enum(['exited', 'SIGTERM', 'SIGKILL']),
  durationMs: z.number(),
  survivors: z.array(z.number().int()),
  /** Members that had left its tree, found by their marker. */
  escaped: z.number().int(),
});

export const LeftoverRequests = {
  'corral/leftovers/list': { params: z.object({}), result: z.object({ data: z.array(LeftoverProcess) }) },
  /** Stops one leftover and its tree, identity checked by start time; report null when the pid is no leftover. */
  'corral/leftovers/stop': {
    params: z.object({ osPid: z.number().int().positive() }),
    result: z.object({ report: LeftoverStopReport.nullable() }),
  },
} as const;

export type LeftoverData = z.infer<typeof LeftoverProcess>;
export type LeftoverStopData = z.infer<typeof LeftoverStopReport>;
