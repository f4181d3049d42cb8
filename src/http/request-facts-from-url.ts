import type { RequestFacts } from '../restrictions/types.js';
import type { EncodedSlashPolicy } from './canonical-path.js';
import { canonicalize } from './canonicalize.js';

/**
 * Builds the facts the restriction engine sees from a method and a URL typed by a person
 * (absolute, or a path with a query), through the same canonicaliser as the gateway — so a
 * dry run answers exactly what the gateway would.
 *
 * @example
 * factsFromUrl('get', 'https://wiki.example.com/rest/api/content?spaceKey=PM', 'https://wiki.example.com', undefined)
 * // { ok: true, facts: { method: 'GET', path: '/rest/api/content', query: Map { spaceKey → ['PM'] }, … } }
 */
export function factsFromUrl(
  method: string,
  url: string,
  publicUrl: string | null,
  body: unknown,
  encodedSlash: EncodedSlashPolicy = 'refuse',
): { ok: true; facts: RequestFacts } | { ok: false; message: string } {
  let target = url;
  let base = publicUrl;
  if (/^https?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, message: `not a valid URL: ${url.slice(0, 200)}` };
    }
    // The request-target as typed (not re-encoded by URL): from the first '/' or '?' after the host.
    const afterScheme = url.indexOf('//') + 2;
    const targetStart = url.slice(afterScheme).search(/[/?#]/);
    const rest = targetStart < 0 ? '' : url.slice(afterScheme + targetStart);
    target = rest.startsWith('/') ? rest : `/${rest}`;
    base ??= parsed.origin;
  }
  const result = canonicalize({ method, target, headers: {} }, { publicUrl: base, encodedSlash });
  if (!result.ok) return { ok: false, message: result.message };
  const request = result.request;
  const facts: RequestFacts = {
    method: request.method,
    path: request.path,
    absoluteUrl: request.absoluteUrl,
    query: request.query,
    body: body === undefined ? { kind: 'none' } : { kind: 'json', value: body },
  };
  return { ok: true, facts };
}
