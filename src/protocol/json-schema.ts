// JSON Schemas of every method and notification, generated from the same zod definitions that validate what
// arrives (`corral app-server generate-json-schema --out DIR`): no second copy of the types.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Notifications, Requests, ServerRequests } from './shapes.js';
import { ServerMethods, ThreadClosedNotification } from './server/server-shapes.js';

/** `thread/backgroundTerminals/list` → `ThreadBackgroundTerminalsList`. */
export function typeName(method: string): string {
  return method
    .split(/[/_-]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

export function allSchemas(extra: { requests?: Record<string, { params: z.ZodType; result: z.ZodType }>; notifications?: Record<string, z.ZodType> } = {}): Map<string, object> {
  const out = new Map<string, object>();
  const schema = (title: string, s: z.ZodType): void => {
    out.set(title, { $schema: 'http://json-schema.org/draft-07/schema#', title, ...z.toJSONSchema(s, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) });
  };
  const requests = { ...Requests, ...ServerMethods, ...extra.requests } as Record<string, { params: z.ZodType; result: z.ZodType }>;
  for (const [method, spec] of Object.entries(requests)) {
    schema(`${typeName(method)}Params`, spec.params);
    schema(`${typeName(method)}Response`, spec.result);
  }
  const notifications = { ...Notifications, 'thread/closed': ThreadClosedNotification, ...extra.notifications } as Record<string, z.ZodType>;
  for (const [method, s] of Object.entries(notifications)) schema(`${typeName(method)}Notification`, s);
  for (const [method, spec] of Object.entries(ServerRequests)) {
    schema(`${typeName(method)}Params`, spec.params);
    schema(`${typeName(method)}Response`, spec.result);
  }
  return out;
}

export function writeSchemas(dir: string, extra?: Parameters<typeof allSchemas>[0]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, json] of allSchemas(extra)) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    written.push(file);
  }
  return written;
}
