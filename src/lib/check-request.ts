import { canonicalFromUrl } from '../http/canonical-from-url.js';
import { parseStrictJson } from '../http/strict-json.js';
import { dryRunBody, evaluate, requestFacts } from '../restrictions/index.js';
import type { RuleSet, Verdict } from '../restrictions/types.js';

/** A request to judge without a server: what `tokengate check` takes. */
export interface RequestDescription {
  /** `GET`, `post`, … (any case). */
  readonly method: string;
  /** A path with its query (`/rest/api/content?spaceKey=PM`) or an absolute URL. */
  readonly url: string;
  /** The body as JSON text, for `JsonData` parts (none when absent). */
  readonly body?: string;
  /** The gateway's public URL, for rules on the absolute URL (default: an absolute `url`'s origin). */
  readonly publicUrl?: string;
}

export type CheckResult =
  | { readonly ok: true; readonly verdict: Verdict }
  /** The gateway would refuse the request itself (400): a dot segment, a duplicate JSON key… */
  | { readonly ok: false; readonly refused: string };

/**
 * Judges a request against a parsed rule set with the gateway's canonicaliser and engine (pure:
 * no I/O).
 *
 * @example
 * const parsed = parseLimitTo('[GET].*\/rest/api/space.*');
 * if (parsed.ok) checkRequest(parsed.ruleSet, { method: 'GET', url: '/rest/api/space' }); // { ok: true, verdict: { allowed: true, line: 1 } }
 */
export function checkRequest(ruleSet: RuleSet, request: RequestDescription): CheckResult {
  const parsed = request.body === undefined ? null : parseStrictJson(request.body);
  if (parsed !== null && !parsed.ok) return { ok: false, refused: `the body is not valid JSON: ${parsed.message}` };
  const canonical = canonicalFromUrl(request.method, request.url, request.publicUrl ?? null);
  if (!canonical.ok) return { ok: false, refused: canonical.message };
  const body = parsed === null ? undefined : dryRunBody(parsed.value, parsed.numberText);
  return {
    ok: true,
    verdict: evaluate(ruleSet, requestFacts(canonical.request, body)),
  };
}
