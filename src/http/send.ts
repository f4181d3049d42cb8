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
  const text = errorBody(code, message);
  res.writeHead(errorStatus(code), {
    ...headers,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
