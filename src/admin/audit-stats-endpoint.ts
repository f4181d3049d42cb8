import { callSeries, planBuckets } from '../audit/audit-buckets.js';
import { type AdminDeps, defineEndpoint } from './admin-endpoint.js';
import { visibleFilter } from './audit-endpoint.js';
import { auditStatsContract } from './audit-stats-contract.js';

/** Without `from`, the range reaches back at least this far (a few calls still get an axis of time). */
export const MIN_DEFAULT_SPAN_MS = 3_600_000;

/**
 * Calls per time bucket by outcome (see {@link auditStatsContract}): the range and bucket are
 * planned here, the counting is one GROUP BY in the store, and the rows are folded into outcomes
 * and laid out as every bucket of the range. Non-administrators count only what the audit query
 * shows them ({@link visibleFilter}).
 *
 * @example
 * curl -u admin:TOKEN 'https://gate.example.com/rest/extender/1.0/tokenTools/auditStats?tokenId=ID&from=2026-11-01'
 */
export const auditStatsEndpoint = defineEndpoint(auditStatsContract).handledBy(
  async ({ query, actor }, deps: AdminDeps) => {
    const asked = query.filter;
    const filter = await visibleFilter(asked, actor, deps.store);
    const to = asked.to ?? Math.max(deps.now(), asked.from ?? 0);
    const oldest = asked.from === undefined ? await deps.store.oldestAuditTime({ ...filter, to }) : null;
    const from = asked.from ?? Math.min(oldest ?? to, to - MIN_DEFAULT_SPAN_MS);
    const plan = planBuckets({ from, to }, query.bucket, asked.from !== undefined);
    const rows = await deps.store.auditStats(filter, plan.range, plan.bucketMs);
    const series = callSeries(plan, rows);
    return {
      status: 200,
      json: {
        status: 'ok',
        from: plan.range.from,
        to: plan.range.to,
        bucket: plan.bucket,
        bucketMs: plan.bucketMs,
        truncated: plan.truncated,
        ...series,
      },
    };
  },
);
