import type { Verdict } from './types.js';

/** Most line failures spelled out by `describeVerdict`; the rest are counted. */
export const MAX_DESCRIBED_FAILURES = 10;

/**
 * A verdict in words for people (CLI output, 403 messages, audit reasons).
 *
 * @example
 * describeVerdict({ allowed: true, line: 2 }) // 'allowed by line 2'
 * describeVerdict(denied)
 * // 'no rule allows this request: line 1: method GET is not one of POST; line 2: URL /rest/x does not match .*\/rest/api/space.*'
 */
export function describeVerdict(verdict: Verdict): string {
  if (verdict.allowed)
    return verdict.line === 0 ? 'allowed (the token has no restrictions)' : `allowed by line ${verdict.line}`;
  const shown = verdict.failures.slice(0, MAX_DESCRIBED_FAILURES).map((f) => `line ${f.line}: ${f.reason}`);
  const more = verdict.failures.length - shown.length;
  if (more > 0) shown.push(`… and ${more} more ${more === 1 ? 'line' : 'lines'}`);
  const head = verdict.needsBody
    ? 'no rule allows this request without reading its body'
    : 'no rule allows this request';
  return shown.length === 0 ? head : `${head}: ${shown.join('; ')}`;
}
