import type { UsageDelta } from './models.js';

/**
 * One delta per token: calls summed, the latest `lastUsed` with its `ip`. Sorted by token id, so
 * concurrent transactions lock rows in the same order (no deadlocks on PostgreSQL).
 */
export function mergeUsage(deltas: readonly UsageDelta[]): UsageDelta[] {
  const byToken = new Map<string, UsageDelta>();
  for (const d of deltas) {
    const seen = byToken.get(d.tokenId);
    if (seen === undefined) {
      byToken.set(d.tokenId, { ...d });
      continue;
    }
    const latest = d.lastUsed >= seen.lastUsed ? d : seen;
    byToken.set(d.tokenId, {
      tokenId: d.tokenId,
      calls: seen.calls + d.calls,
      lastUsed: latest.lastUsed,
      ip: latest.ip,
    });
  }
  return [...byToken.values()].sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0));
}
