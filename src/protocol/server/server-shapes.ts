// Methods only the app-server has (they concern connections, not the session): the handshake, subscriptions,
// loaded threads and the one-off turn.
import { z } from 'zod';
import { TurnError, UserInput } from '../agent-shapes.js';

export const ServerMethods = {
  initialize: {
    params: z.object({
      clientInfo: z.object({ name: z.string(), title: z.string().nullable().optional(), version: z.string() }),
      capabilities: z
        .object({ experimentalApi: z.boolean().optional(), optOutNotificationMethods: z.array(z.string()).nullable().optional() })
        .passthrough()
        .nullable()
        .optional(),
    }),
    result: z.object({ codexHome: z.string(), platformFamily: z.string(), platformOs: z.string(), userAgent: z.string() }),
  },
  'thread/unsubscribe': {
    params: z.object({ threadId: z.string() }),
    result: z.object({ status: z.enum(['unsubscribed', 'notSubscribed', 'notLoaded']) }),
  },
  'thread/loaded/list': {
    params: z.object({ cursor: z.string().nullable().optional(), limit: z.number().int().min(0).nullable().optional() }),
    result: z.object({ data: z.array(z.string()), nextCursor: z.string().nullable() }),
  },
  'exec/run': {
    params: z.object({ input: z.array(UserInput), cwd: z.string().nullable().optional() }).passthrough(),
    result: z.object({
      threadId: z.string(),
      turnId: z.string(),
      status: z.enum(['completed', 'interrupted', 'failed', 'inProgress']),
      lastAgentMessage: z.string().nullable(),
      error: TurnError.nullable(),
    }),
  },
} as const;

export type ServerMethod = keyof typeof ServerMethods;

/** Sent to the clients of a thread when it is unloaded. */
export const ThreadClosedNotification = z.object({ threadId: z.string() });

/** Methods a client must opt into with `capabilities.experimentalApi` at initialize. */
export const EXPERIMENTAL_METHODS = new Set([
  'thread/backgroundTerminals/list',
  'thread/backgroundTerminals/terminate',
  'thread/backgroundTerminals/stop',
  'thread/backgroundTerminals/clean',
  'thread/backgroundTerminals/name',
  'thread/backgroundTerminals/restart',
  'thread/backgroundTerminals/read',
  'thread/backgroundTerminals/write',
  'thread/backgroundTerminals/resize',
]);
