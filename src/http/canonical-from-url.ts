import type { EncodedSlashPolicy } from './canonical-path.js';
import type { CanonicalRequest } from './canonical-request.js';
import { canonicalize } from './canonicalize.js';

/**
 * The canonical request for a method and a URL typed by a person (absolute, or a path with a
 * query), through the same canonicaliser as the gateway — so a dry run (`tokenTools/check`,
 * `tokengate check`) answers exactly what the gateway would. Turn it into what the rules see with
 * `requestFacts` (restrictions/).
 *
 * @example
 * canonicalFromUrl('get', 'https://wiki.example.com/rest/api/content?spaceKey=PM', 'https://wiki.example.com')
 * // { ok: true, request: { method: 'GET', path: '/rest/api/content', query: Map { spaceKey → ['PM'] }, … } }
 */
export function canonicalFromUrl(
  method: string,
  url: string,
  publicUrl: string | null,
  encodedSlash: EncodedSlashPolicy = 'refuse',
): { ok: true; request: CanonicalRequest } | { ok: false; message: string } {
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
  return { ok: true, request: result.request };
}
