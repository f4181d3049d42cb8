import type { IncomingHttpHeaders } from 'node:http';
import type { RawRequestLine } from '../http/canonical-request.js';
import { URL_OVERRIDE_HEADERS } from '../http/url-override-headers.js';

/**
 * Which proxy asks, as told by the headers it sends. It decides where the original request is
 * read from and how a refusal is answered (`nginx`: every refusal is 401 or 403).
 * - `nginx`: `auth_request` with `X-Original-Method` and `X-Original-URI` (`$request_uri`),
 * - `forwarded`: Caddy `forward_auth` and Traefik `ForwardAuth`, `X-Forwarded-Method` and
 *   `X-Forwarded-Uri`,
 * - `envoy`: Envoy's HTTP `ext_authz`, the original request itself with the decision path
 *   prepended (`path_prefix`), its own method.
 */
export type DecisionFlavour = 'nginx' | 'forwarded' | 'envoy';

/** The request a proxy asks about: its flavour and its method, target and headers as received. */
export interface OriginalRequest {
  readonly flavour: DecisionFlavour;
  readonly raw: RawRequestLine;
}

/** Why the question cannot be read (a 400 `malformed_request`), with the flavour it was asked in. */
export interface UnreadableQuestion {
  readonly flavour: DecisionFlavour;
  readonly refused: string;
}

/** One header value; a header a client repeated (Node joins unknown ones with ", ") is refused. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined | null {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value) || value.includes(', ')) return null;
  return value;
}

/**
 * The headers of the original request: the asking proxy's own question headers removed (any other
 * flavour's stay: the client sent those, and they are judged).
 */
function judgedHeaders(headers: IncomingHttpHeaders, own: readonly string[]): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of own) delete out[name];
  return out;
}

/**
 * Reads the original request out of a decision request. `target` is the decision request's own
 * request-target and `decisionPath` the path it was received at (`/tokengate/authorize`).
 *
 * @example
 * originalRequest('GET', '/tokengate/authorize', { 'x-original-method': 'POST', 'x-original-uri': '/rest/api/content' }, '/tokengate/authorize')
 * // { flavour: 'nginx', raw: { method: 'POST', target: '/rest/api/content', headers: {} } }
 * originalRequest('DELETE', '/tokengate/authorize/rest/api/x?y=1', {}, '/tokengate/authorize')
 * // { flavour: 'envoy', raw: { method: 'DELETE', target: '/rest/api/x?y=1', headers: {} } }
 */
export function originalRequest(
  method: string,
  target: string,
  headers: IncomingHttpHeaders,
  decisionPath: string,
): OriginalRequest | UnreadableQuestion {
  const asked = (flavour: DecisionFlavour, uriHeader: string, methodHeader: string) => {
    const uri = single(headers, uriHeader);
    const originalMethod = single(headers, methodHeader);
    if (uri === null || originalMethod === null) {
      return { flavour, refused: `the proxy must send ${uriHeader} and ${methodHeader} once each` };
    }
    if (uri === undefined || originalMethod === undefined) {
      return { flavour, refused: `the proxy sent ${uriHeader} without ${methodHeader} (or the other way round)` };
    }
    return {
      flavour,
      raw: { method: originalMethod, target: uri, headers: judgedHeaders(headers, [uriHeader, methodHeader]) },
    };
  };
  if (headers['x-original-uri'] !== undefined || headers['x-original-method'] !== undefined) {
    return asked('nginx', 'x-original-uri', 'x-original-method');
  }
  if (headers['x-forwarded-uri'] !== undefined || headers['x-forwarded-method'] !== undefined) {
    return asked('forwarded', 'x-forwarded-uri', 'x-forwarded-method');
  }
  // Envoy: the original path follows the decision path as received (never decoded here).
  const rest = target.slice(decisionPath.length);
  if (!target.startsWith(decisionPath) || !rest.startsWith('/')) {
    return {
      flavour: 'envoy',
      refused: `say which request to judge: X-Original-Method and X-Original-URI (nginx), X-Forwarded-Method and X-Forwarded-Uri (Caddy, Traefik), or the original path after ${decisionPath} (Envoy)`,
    };
  }
  return { flavour: 'envoy', raw: { method, target: rest, headers: judgedHeaders(headers, []) } };
}

/**
 * The first URL-override header the original request carries, or null. The flavour's own
 * question header has been removed from `headers` already (the proxy set it, not the client).
 */
export function urlOverrideHeader(headers: IncomingHttpHeaders): string | null {
  for (const name of URL_OVERRIDE_HEADERS) if (headers[name] !== undefined) return name;
  return null;
}

/** True when the request says it has a form body (whose parameters Tomcat, PHP and others read). */
export function hasFormBody(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type === undefined) return false;
  const lower = type.toLowerCase();
  return lower.includes('application/x-www-form-urlencoded') || lower.includes('multipart/');
}
