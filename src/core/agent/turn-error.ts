// A provider failure as the turn reports it: the readable message, and Codex's error category.
import { ProviderError } from '../model/types.js';
import type { TurnError, TurnErrorInfo } from '../turns.js';

function info(err: ProviderError): TurnErrorInfo {
  switch (err.kind) {
    case 'unauthorized':
      return 'unauthorized';
    case 'modelNotFound':
      return 'modelNotFound';
    case 'rateLimited':
      return 'rateLimitExceeded';
    case 'serverError':
      return 'internalServerError';
    case 'contextWindowExceeded':
      return 'contextWindowExceeded';
    case 'badRequest':
      return 'badRequest';
    case 'connectionFailed':
      return { httpConnectionFailed: { httpStatusCode: err.httpStatus } };
    case 'streamDisconnected':
    case 'idleTimeout':
      return { responseStreamDisconnected: { httpStatusCode: err.httpStatus } };
    default:
      return 'other';
  }
}

export function turnErrorFrom(err: unknown): TurnError {
  if (err instanceof ProviderError) return { message: err.message, codexErrorInfo: info(err), additionalDetails: null };
  const message = err instanceof Error ? err.message : String(err);
  return { message: `corral: ${message}`, codexErrorInfo: 'other', additionalDetails: null };
}
