import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { util as undiciUtil } from 'undici';
import { URL_OVERRIDE_HEADERS } from '../http/url-override-headers.js';
import { type AnswerFraming, FRAMING_HEADERS } from './answer-framing.js';

/**
 * Request headers never passed on, by normalised name (lower case, `_` read as `-`: CGI, WSGI,
 * Rack and PHP turn `X_Forwarded_User` and `X-Forwarded-User` into the same variable): hop-by-hop
 * headers (RFC 9110 §7.6.1), the client's credentials, and every header that servers, proxies or
 * frameworks commonly read as the caller's identity, the caller's address, a different URL or
 * method, or the public host — a client must not be able to say any of these to the upstream.
 * tokengate sets the forwarding headers itself, from the public URL and the client address it
 * determined.
 */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  // hop-by-hop and framing
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
  'http2-settings',
  // the client's credentials (tokengate's own; the upstream gets the configured ones)
  'authorization',
  'cookie',
  // a different URL than the one checked
  ...URL_OVERRIDE_HEADERS,
  // a different method than the one checked (refused earlier; dropped here as well)
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  // where the call came from, or the public origin
  'forwarded',
  'x-forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-server',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-forwarded-protocol',
  'x-forwarded-scheme',
  'x-forwarded-ssl',
  'x-url-scheme',
  'front-end-https',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-originating-ip',
  'x-remote-ip',
  'x-remote-addr',
  'x-proxyuser-ip',
  'client-ip',
  'forwarded-for',
  'via',
  // the caller's identity, as reverse proxies and single-sign-on front ends pass it
  'remote-user',
  'x-remote-user',
  'x-auth-user',
  'auth-user',
  'x-user',
  'x-username',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-preferred-username',
  'x-forwarded-groups',
  'x-authenticated-user',
  'x-authenticated-userid',
  'x-auth-request-user',
  'x-auth-request-email',
  'x-auth-request-preferred-username',
  'x-auth-request-groups',
  'x-webauth-user',
  'x-remote-group',
  'x-ms-client-principal',
  'x-ms-client-principal-name',
  'x-ms-client-principal-id',
  'x-goog-authenticated-user-email',
  'x-goog-authenticated-user-id',
  'x-amzn-oidc-identity',
  'x-amzn-oidc-data',
  'x-proxy-remote-user',
  // client certificates as a TLS-terminating proxy passes them
  'ssl-client-cert',
  'ssl-client-verify',
  'x-ssl-cert',
  'x-ssl-client-cert',
  'x-ssl-client-dn',
  'x-ssl-client-s-dn',
  'x-ssl-client-verify',
  'x-client-cert',
  'x-client-dn',
  'x-client-verify',
  'x-forwarded-client-cert',
  'x-arr-clientcert',
]);

/**
 * Headers whose meaning the rules or the framing depend on: only their exact spelling passes.
 * A spelling with `_` (`Content_Type`) is dropped, since an upstream may read it as the real one.
 */
const UNDERSCORE_SENSITIVE = new Set(['content-type', 'content-length', 'content-encoding', 'content-range']);

/** A header name as an upstream may read it: lower case (Node already gives that), `_` as `-`. */
export function normalizedHeaderName(lowerCaseName: string): string {
  return lowerCaseName.indexOf('_') < 0 ? lowerCaseName : lowerCaseName.replace(/_/g, '-');
}

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
  /** The client address as tokengate determined it (trusted proxy hops considered): the whole X-Forwarded-For. */
  readonly clientAddress: string;
  /** Scheme of the public URL (`http` or `https`): X-Forwarded-Proto. */
  readonly publicProto: string;
  /** Host (and non-default port) of the public URL: X-Forwarded-Host — never the client's Host. */
  readonly publicHost: string;
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

/** Names listed in a `Connection` header are hop-by-hop too (normalised). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> | null {
  const value = headers.connection;
  if (value === undefined) return null;
  return new Set(value.split(',').map((name) => normalizedHeaderName(name.trim().toLowerCase())));
}

/** True when a client header of this (lower-case) name must not reach the upstream. */
function isDropped(name: string, identity: string | null, listed: Set<string> | null): boolean {
  const normalized = normalizedHeaderName(name);
  if (FORBIDDEN_REQUEST_HEADERS.has(normalized) || normalized === identity) return true;
  if (normalized !== name && UNDERSCORE_SENSITIVE.has(normalized)) return true;
  return listed?.has(normalized) === true;
}

/**
 * The headers sent upstream: the client's, minus every header in FORBIDDEN_REQUEST_HEADERS and
 * any spelling of the identity header (names normalised); plus `X-Forwarded-For` (the client
 * address), `X-Forwarded-Proto` and `X-Forwarded-Host` (from the public URL), the identity header
 * and the configured upstream credentials.
 */
export function buildUpstreamHeaders(incoming: IncomingHttpHeaders, ctx: UpstreamHeaderContext): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const identity = ctx.identityHeader === null ? null : normalizedHeaderName(ctx.identityHeader);
  const out: OutgoingHttpHeaders = {};
  const passThrough = ctx.passThrough === true;
  for (const name in incoming) {
    // a pass-through request keeps its own credentials (the upstream's password, its session)
    const own = passThrough && (name === 'authorization' || name === 'cookie');
    if (!own && isDropped(name, identity, listed)) continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  if (ctx.clientAddress !== '') out['x-forwarded-for'] = ctx.clientAddress;
  out['x-forwarded-proto'] = ctx.publicProto;
  out['x-forwarded-host'] = ctx.publicHost;
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
 *
 * Every response also gets `X-Content-Type-Options: nosniff` and, unless `responseCsp` is null,
 * that Content-Security-Policy (beside any of the upstream's own: browsers enforce both). The
 * upstream's answers are served on tokengate's origin, which is also the page's: an HTML answer
 * with script must not be able to act on the page (mint a token with the admin's session).
 *
 * `framing`, when given, is told the framing headers on the way (see answer-framing.ts).
 */
export function buildClientHeaders(
  raw: readonly (Buffer | string)[],
  upstreamOrigin: string,
  publicOrigin: string,
  responseCsp: string | null = null,
  framing?: AnswerFraming,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = undiciUtil.headerNameToString(raw[i] as Buffer | string);
    const rawValue = raw[i + 1] as Buffer | string;
    if (framing !== undefined && FRAMING_HEADERS.has(name)) framing.see(name, rawValue);
    if (DROPPED_RESPONSE_HEADERS.has(name)) continue;
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
  out['x-content-type-options'] = 'nosniff';
  if (responseCsp !== null) {
    const own = out['content-security-policy'];
    let policies: string | string[] = responseCsp;
    if (Array.isArray(own)) policies = [...own, responseCsp];
    else if (own !== undefined) policies = [String(own), responseCsp];
    (out as Record<string, string | string[]>)['content-security-policy'] = policies;
  }
  return out;
}
