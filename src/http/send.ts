import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type ErrorCode, errorStatus } from './error-catalogue.js';
import { errorBody } from './http-error.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The error code each response was answered with (read by the access log). */
const sentCodes = new WeakMap<ServerResponse, ErrorCode>();

/** The catalogue code `res` was answered with by {@link sendError}, or null. */
export function errorCodeSent(res: ServerResponse): ErrorCode | null {
  return sentCodes.get(res) ?? null;
}

/** Sends the one error shape: `{"status":"error","code":…,"message":…}`, with the status of `code`. */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sentCodes.set(res, code);
  const text = errorBody(code, message);
  res.writeHead(errorStatus(code), {
    ...headers,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
