import { canonicalPath } from './canonical-path.js';
import type { CanonicalizeOptions, CanonicalizeResult, CanonicalRequest, RawRequestLine } from './canonical-request.js';
import { parseQuery } from './parse-query.js';
import { type PublicBase, publicBase } from './public-base.js';
import { originFormOf } from './request-target.js';

/** 1 for RFC 9110 `tchar`: ALPHA DIGIT and ! # $ % & ' * + - . ^ _ ` | ~ */
const TCHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;

/** The upper-cased method, or null when it is not an HTTP token. */
function canonicalMethod(method: string): string | null {
  let lower = false;
  const n = method.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) {
    const c = method.charCodeAt(i);
    if (c >= 128 || TCHAR[c] !== 1) return null;
    if (c >= 0x61 && c <= 0x7a) lower = true;
  }
  return lower ? method.toUpperCase() : method;
}

function bad(message: string): CanonicalizeResult {
  return { ok: false, status: 400, message };
}

/**
 * Turns a raw request line into the one canonical request every later step sees, or a `400`.
 *
 * - Method: an RFC 9110 token, upper-cased.
 * - Target: origin-form `/path?query`; absolute-form only when its scheme and host equal the
 *   public URL's and its path starts with the public URL's path prefix. `*` and authority-form
 *   are refused.
 * - Path: see `canonicalPath` (unreserved escapes decoded once, other escapes kept with
 *   upper-case hex; dot segments, `//`, `\`, `;`, `#`, encoded `/ \ ; % # ?`, control
 *   characters, invalid percent-encoding or UTF-8 and raw non-ASCII are refused; with
 *   `encodedSlash: 'keep'` a `%2F` stays encoded instead).
 * - Query: kept raw for forwarding, and decoded (names and values) into `query`.
 * - The request is frozen (its query arrays are `readonly` by type only: freezing them costs more
 *   than the rest of the call).
 * - `absoluteUrl` = the public URL's **origin** + the canonical path. With a path prefix such
 *   as `https://example.com/confluence`, the received path already carries `/confluence`, so
 *   the prefix is not added twice; without a prefix this equals public URL + path.
 *
 * @example
 * canonicalize({ method: 'get', target: '/rest/api/space?limit=10', headers: {} }, { publicUrl: 'https://wiki.example.com' })
 * // { ok: true, request: { method: 'GET', path: '/rest/api/space', rawQuery: 'limit=10',
 * //   query: Map { 'limit' → ['10'] }, absoluteUrl: 'https://wiki.example.com/rest/api/space', headers: {} } }
 */
export function canonicalize(raw: RawRequestLine, options: CanonicalizeOptions): CanonicalizeResult {
  const method = canonicalMethod(raw.method);
  if (method === null) return bad('the request method is not a valid HTTP method token');

  const base: PublicBase | null = options.publicUrl === null ? null : publicBase(options.publicUrl);
  let target = raw.target;
  const absoluteForm = target.charCodeAt(0) !== 0x2f;
  if (absoluteForm) {
    const reduced = originFormOf(target, base);
    if (typeof reduced !== 'string') return bad(reduced.refused);
    target = reduced;
  }

  const q = target.indexOf('?');
  const path = canonicalPath(q < 0 ? target : target.slice(0, q), options.encodedSlash);
  if (typeof path !== 'string') return bad(path.refused);
  if (absoluteForm && base !== null && base.prefix !== '') {
    const p = base.prefix;
    if (!(path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 0x2f))) {
      return bad(`the request target's path is not under this server's public URL path ${p}`);
    }
  }

  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const query = parseQuery(rawQuery);
  if (!(query instanceof Map)) return bad(query.refused);

  const request: CanonicalRequest = Object.freeze({
    method,
    path,
    rawQuery,
    query,
    absoluteUrl: base === null ? path : base.origin + path,
    headers: raw.headers,
  });
  return { ok: true, request };
}
