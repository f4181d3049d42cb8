/** Shared by the auditStats endpoint tests: a request as the router hands it over, and its answer. */
import assert from 'node:assert/strict';
import type { User } from '../store/models.js';
import type { AdminRequest, AdminResponse } from './admin-endpoint.js';
import type { auditStatsContract } from './audit-stats-contract.js';
import type { ResponseOf } from './endpoint-contract.js';

export type Stats = ResponseOf<typeof auditStatsContract>;

export function user(username: string, admin = false): User {
  return { username, email: null, displayName: null, admin, active: true, passwordHash: null, dateCreated: 0 };
}

export function statsRequest(actor: User, query: Record<string, string> = {}): AdminRequest {
  return {
    method: 'GET',
    query: new Map(Object.entries(query).map(([k, v]) => [k, [v]])),
    actor,
    json: async () => ({}),
    recordAdmin: () => {},
  };
}

export function stats(response: AdminResponse): Stats {
  assert.ok('json' in response);
  assert.equal(response.status, 200);
  return response.json as Stats;
}

/** The buckets that have calls, as `minutes-from-t0 allowed/denied/unauthenticated/error`. */
export function busy(answer: Stats, t0: number, unitMs = 60_000): string[] {
  return answer.buckets
    .filter((b) => b.allowed + b.denied + b.unauthenticated + b.error > 0)
    .map((b) => `${(b.start - t0) / unitMs} ${b.allowed}/${b.denied}/${b.unauthenticated}/${b.error}`);
}
