import type { AuditDecision } from '../store/models.js';

/** What the chart of calls shows: every token call is one of these. */
export const CALL_OUTCOMES = ['allowed', 'denied', 'unauthenticated', 'error'] as const;

export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * The outcome of a call by the decision of its audit record. `refused` (an authenticated call
 * stopped by a policy — rate limit, quota, IP allow list, admin access rule, a path that could be
 * read two ways) counts as denied. `admin` records are administrative actions, not calls (the
 * admin API call itself has its own `allowed` or `error` record), and `passthrough` requests
 * carry no token: neither is counted.
 */
export const OUTCOME_OF_DECISION: Readonly<Record<AuditDecision, CallOutcome | null>> = Object.freeze({
  allowed: 'allowed',
  denied: 'denied',
  refused: 'denied',
  unauthenticated: 'unauthenticated',
  error: 'error',
  admin: null,
  passthrough: null,
});
