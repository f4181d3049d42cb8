import type { IncomingHttpHeaders } from 'node:http';

const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'] as const;

/**
 * Finds a method override on a request: one of the headers `X-HTTP-Method-Override`,
 * `X-HTTP-Method`, `X-Method-Override` (present at all, even empty) or a `_method` query
 * parameter (decoded name, so `%5Fmethod` counts too). Returns the reason to refuse it with
 * `400`, or null. The upstream could act on another method than the one the rules checked.
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
  for (const name of OVERRIDE_HEADERS) {
    if (headers[name] !== undefined) {
      return `method override is not allowed on token-authenticated requests: remove the ${name} header and send the real method`;
    }
  }
  if (query.has('_method')) {
    return 'method override is not allowed on token-authenticated requests: remove the _method query parameter and send the real method';
  }
  return null;
}
