import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { util as undiciUtil } from 'undici';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus those a proxy must never pass on. */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'authorization',
  'cookie',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
]);

const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface UpstreamHeaderContext {
  /** The socket's peer address (appended to X-Forwarded-For). */
  readonly peerAddress: string;
  readonly proto: 'http' | 'https';
  /** Lower-case identity header name (e.g. `x-forwarded-user`), or null. */
  readonly identityHeader: string | null;
  readonly username: string;
  /** Pre-built `Authorization` value for the upstream, or null. */
  readonly upstreamAuthorization: string | null;
  /**
   * A pass-through request (no token): the client's own `Authorization` and `Cookie` go to the
   * upstream unchanged; no identity header, no upstream credentials.
   */
  readonly passThrough?: boolean;
}

/** A header name as servers compare it: lower case, `_` read as `-` (CGI/WSGI turn both into one). */
function comparableName(name: string): string {
  return name.indexOf('_') < 0 ? name : name.replaceAll('_', '-');
}

/** Names listed in a `Connection` header are hop-by-hop too. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> | null {
  const value = headers.connection;
  if (value === undefined) return null;
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()));
}

/**
 * The headers sent upstream: the client's, minus hop-by-hop headers, credentials (`Authorization`,
 * `Cookie`), forwarding headers and any copy of the identity header; plus `X-Forwarded-*`, the
 * identity header and the configured upstream credentials.
 */
export function buildUpstreamHeaders(incoming: IncomingHttpHeaders, ctx: UpstreamHeaderContext): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  const passThrough = ctx.passThrough === true;
  const identity = ctx.identityHeader === null ? null : comparableName(ctx.identityHeader);
  for (const name in incoming) {
    if (DROPPED_REQUEST_HEADERS.has(name) && !(passThrough && (name === 'authorization' || name === 'cookie')))
      continue;
    // the identity header in every spelling an upstream may read as it (X_Forwarded_User, …)
    if (identity !== null && comparableName(name) === identity) continue;
    if (listed?.has(name)) continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  const previous = incoming['x-forwarded-for'];
  const chain = Array.isArray(previous) ? previous.join(', ') : previous;
  out['x-forwarded-for'] = chain ? `${chain}, ${ctx.peerAddress}` : ctx.peerAddress;
  out['x-forwarded-proto'] = ctx.proto;
  if (incoming.host !== undefined) out['x-forwarded-host'] = incoming.host;
  if (passThrough) return out;
  if (ctx.identityHeader !== null) out[ctx.identityHeader] = ctx.username;
  if (ctx.upstreamAuthorization !== null) out.authorization = ctx.upstreamAuthorization;
  return out;
}

/**
 * The response headers sent back to the client, from the upstream's raw header list (name, value,
 * name, value… as undici reports them): names lower-cased, repeated headers as arrays, hop-by-hop
 * headers removed and `Location` headers that point at the upstream rewritten to the public URL.
 * One pass and one object (the raw list is not first turned into an object of its own).
 */
export function buildClientHeaders(
  raw: readonly (Buffer | string)[],
  upstreamOrigin: string,
  publicOrigin: string,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = undiciUtil.headerNameToString(raw[i] as Buffer | string);
    if (DROPPED_RESPONSE_HEADERS.has(name)) continue;
    const rawValue = raw[i + 1] as Buffer | string;
    const value = typeof rawValue === 'string' ? rawValue : rawValue.toString('latin1');
    const previous = out[name];
    if (previous === undefined || !Object.hasOwn(out, name)) {
      // an own property even for a name such as `__proto__` (never the prototype)
      if (name === '__proto__') {
        Object.defineProperty(out, name, { value, enumerable: true, configurable: true, writable: true });
      } else {
        out[name] = value;
      }
    } else if (Array.isArray(previous)) {
      previous.push(value);
    } else {
      out[name] = [String(previous), value];
    }
  }
  const location = out.location;
  if (typeof location === 'string' && location.startsWith(upstreamOrigin)) {
    const rest = location.slice(upstreamOrigin.length);
    if (rest === '' || rest.startsWith('/') || rest.startsWith('?')) out.location = publicOrigin + rest;
  }
  return out;
}
