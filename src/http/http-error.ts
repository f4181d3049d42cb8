import { type ErrorCode, errorStatus, fixedMessage } from './error-catalogue.js';

/**
 * The one error shape every client sees: `{"status":"error","code":…,"message":…}`, its code
 * from the catalogue (error-catalogue.ts), which also gives the HTTP status.
 *
 * Throw or return an `HttpError` anywhere below the server; the server turns it into a
 * response with `sendError`. Messages are written for people and never contain a secret
 * or a stack trace.
 */
export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;

  /** `message` defaults to the catalogue's fixed message of `code`. */
  constructor(code: ErrorCode, message: string = fixedMessage(code), headers: Record<string, string | string[]> = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.status = errorStatus(code);
    this.headers = headers;
  }
}

/** The JSON body of an error response. */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ status: 'error', code, message });
}
