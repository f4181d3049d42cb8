import type { IncomingHttpHeaders } from 'node:http';

/** Override headers, by normalised name (lower case, `_` read as `-`, as CGI/WSGI upstreams read them). */
const OVERRIDE_HEADERS: ReadonlySet<string> = new Set(['x-http-method-override', 'x-http-method', 'x-method-override']);

/**
 * Override parameters (lower case) as frameworks read them from the query or a form body:
 * Rails/Rack and Spring's HiddenHttpMethodFilter (`_method`), and the header names used as
 * parameters (`X-HTTP-Method-Override=DELETE`, which some frameworks accept as well).
 */
const OVERRIDE_PARAMS: ReadonlySet<string> = new Set([
  '_method',
  'x-http-method-override',
  'x_http_method_override',
  'x-http-method',
  'x_http_method',
  'x-method-override',
  'x_method_override',
  '_httpmethod',
  '_http_method',
]);

/** The first override parameter in `params` (name as sent), or null. */
export function findOverrideParam(params: ReadonlyMap<string, readonly string[]>): string | null {
  for (const name of params.keys()) {
    if (name.length >= 7 && OVERRIDE_PARAMS.has(name.toLowerCase())) return name;
  }
  return null;
}

/** The reason to refuse an override parameter found in `where` (`query`, `form body`). */
export function overrideParamReason(name: string, where: string): string {
  return `method override is not allowed on token-authenticated requests: remove the ${JSON.stringify(name).slice(1, -1).slice(0, 40)} ${where} parameter and send the real method`;
}

/**
 * Finds a method override on a request: one of the headers `X-HTTP-Method-Override`,
 * `X-HTTP-Method`, `X-Method-Override` in any spelling an upstream reads as them (case, `_` for
 * `-`; present at all, even empty) or an override query parameter (`_method`, decoded name, so
 * `%5Fmethod` counts too). Returns the reason to refuse it with `400`, or null. The upstream could
 * act on another method than the one the rules checked.
 *
 * Headers must be as Node gives them (lower-case names).
 *
 * @example
 * findMethodOverride({ 'x-http-method-override': 'DELETE' }, new Map()) // 'method override … x-http-method-override …'
 * findMethodOverride({}, new Map([['limit', ['10']]]))               // null
 */
export function findMethodOverride(
  headers: IncomingHttpHeaders,
  query: ReadonlyMap<string, readonly string[]>,
): string | null {
  for (const name in headers) {
    if (name.length < 13 || name.charCodeAt(0) !== 0x78 /* x */) continue;
    const normalized = name.indexOf('_') < 0 ? name : name.replace(/_/g, '-');
    if (OVERRIDE_HEADERS.has(normalized)) {
      return `method override is not allowed on token-authenticated requests: remove the ${name} header and send the real method`;
    }
  }
  const param = findOverrideParam(query);
  return param === null ? null : overrideParamReason(param, 'query');
}
