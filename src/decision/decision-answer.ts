import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type ErrorCode, errorStatus } from '../http/error-catalogue.js';
import { errorBody } from '../http/http-error.js';
import type { DecisionFlavour } from './original-request.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The JSON text with every non-ASCII character escaped (`\uXXXX`): still the same JSON, and a valid header value. */
function asciiJson(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The status a refusal is answered with. nginx turns any `auth_request` answer but 2xx, 401 and
 * 403 into a 500, so for nginx every refusal is 401 (authentication) or 403 (everything else);
 * the real status and code travel in `X-Tokengate-Status` / `X-Tokengate-Code`, and the README's
 * nginx configuration gives the client the real status back.
 */
export function refusalStatus(flavour: DecisionFlavour, code: ErrorCode): number {
  const status = errorStatus(code);
  if (flavour !== 'nginx') return status;
  return status === 401 ? 401 : 403;
}

/**
 * Answers a refusal: the same JSON body as the gateway (`{"status":"error","code":…,"message":…}`),
 * and the same body again in `X-Tokengate-Error` (nginx does not pass an `auth_request` body on;
 * its configuration returns this header's value instead).
 */
export function sendDecisionRefusal(
  res: ServerResponse,
  flavour: DecisionFlavour,
  code: ErrorCode,
  message: string,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = asciiJson(errorBody(code, message));
  res.writeHead(refusalStatus(flavour, code), {
    ...headers,
    'x-tokengate-status': String(errorStatus(code)),
    'x-tokengate-code': code,
    'x-tokengate-error': text,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** What an allowed decision tells the proxy to set on the request it forwards upstream. */
export interface UpstreamAdditions {
  /** Lower-case identity header name (`x-forwarded-user`), or null when none is configured. */
  readonly identityHeader: string | null;
  readonly username: string;
  /** The upstream `Authorization` (the user's own credential, else the fixed one), or null. */
  readonly upstreamAuthorization: string | null;
}

/**
 * Answers an allowed decision: 200, with the headers the proxy copies onto the upstream request
 * (the identity header, the upstream `Authorization` when there is one, `X-Tokengate-User`
 * always) and, for Envoy, `x-envoy-auth-headers-to-remove` naming the client headers the gateway
 * would not forward (its cookies, and its `Authorization` — the token — when no upstream
 * credential replaces it). The body is `{"status":"allowed","user":…}`.
 */
export function sendDecisionAllowed(res: ServerResponse, flavour: DecisionFlavour, add: UpstreamAdditions): void {
  const text = asciiJson(JSON.stringify({ status: 'allowed', user: add.username }));
  const headers: OutgoingHttpHeaders = {
    'x-tokengate-user': add.username,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  };
  if (add.identityHeader !== null) headers[add.identityHeader] = add.username;
  if (add.upstreamAuthorization !== null) headers.authorization = add.upstreamAuthorization;
  if (flavour === 'envoy') {
    headers['x-envoy-auth-headers-to-remove'] = add.upstreamAuthorization === null ? 'cookie,authorization' : 'cookie';
  }
  res.writeHead(200, headers);
  res.end(text);
}
