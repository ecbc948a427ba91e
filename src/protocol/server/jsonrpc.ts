// JSON-RPC 2.0 framing as Codex's app-server speaks it: one JSON object per message; the "jsonrpc" field may be
// present or absent on what arrives and is left out of what is sent. Anything malformed is classified with its
// error code, never thrown.

export const PARSE_ERROR = -32700;

export type RequestId = string | number;

export type Incoming =
  | { kind: 'request'; id: RequestId; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'response'; id: RequestId; result: unknown }
  | { kind: 'errorResponse'; id: RequestId; error: { code: number; message: string } }
  | { kind: 'invalid'; id: RequestId | null; code: number; message: string };

const isId = (v: unknown): v is RequestId => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));

export function parseMessage(text: string): Incoming {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'invalid', id: null, code: PARSE_ERROR, message: `parse error: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null, code: -32600, message: 'invalid request: a message is one JSON object (batches are not supported)' };
  }
  const m = value as Record<string, unknown>;
  const id = isId(m.id) ? m.id : null;
  if (m.jsonrpc !== undefined && m.jsonrpc !== '2.0') return { kind: 'invalid', id, code: -32600, message: 'invalid request: jsonrpc must be "2.0"' };
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method === '') return { kind: 'invalid', id, code: -32600, message: 'invalid request: method must be a non-empty string' };
    if ('id' in m && id === null) return { kind: 'invalid', id: null, code: -32600, message: 'invalid request: id must be a string or an integer' };
    return id === null ? { kind: 'notification', method: m.method, params: m.params } : { kind: 'request', id, method: m.method, params: m.params };
  }
  if (id !== null && 'result' in m) return { kind: 'response', id, result: m.result };
  if (id !== null && typeof m.error === 'object' && m.error !== null) {
    const e = m.error as { code?: unknown; message?: unknown };
    return { kind: 'errorResponse', id, error: { code: typeof e.code === 'number' ? e.code : -32603, message: typeof e.message === 'string' ? e.message : '' } };
  }
  return { kind: 'invalid', id, code: -32600, message: 'invalid request: neither a request, a notification nor a response' };
}
