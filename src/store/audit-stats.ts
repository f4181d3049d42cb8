import { type Kysely, sql } from 'kysely';
import { auditWhere } from './audit-where.js';
import type { Database } from './database.js';
import type { DialectHooks } from './dialect-hooks.js';
import type { AuditDecision, AuditFilter, AuditStatsRow, TimeRange } from './models.js';
import { num } from './rows.js';

/**
 * The reason of a summary record written by the audit's noise aggregator
 * (`12 more unauthenticated requests from this address in this minute; the last: …`), as a LIKE
 * pattern: such a record stands for as many calls as its leading number says.
 */
export const UNAUTHENTICATED_SUMMARY_LIKE = '% more unauthenticated request% from this address in this minute;%';

/**
 * Calls per bucket and decision, counted by the database: `time / bucketMs` (integer division,
 * so buckets are aligned on multiples of `bucketMs`, UTC) grouped with the decision. The time
 * range is always given, so the time indexes (`audit_time`, or token/user/decision then time)
 * bound the rows read; the answer has at most buckets × decisions rows.
 *
 * @example
 * await auditStats(db, hooks, { tokenId: 'tok_1' }, { from: 0, to: 3_599_999 }, 60_000);
 * // [{ bucketStart: 120000, decision: 'allowed', calls: 3 }, …]
 */
export async function auditStats(
  db: Kysely<Database>,
  hooks: Pick<DialectHooks, 'leadingCount'>,
  filter: AuditFilter,
  range: TimeRange,
  bucketMs: number,
): Promise<AuditStatsRow[]> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new RangeError('bucketMs must be a positive integer');
  // a literal, not a parameter: PostgreSQL must see the same expression in SELECT and GROUP BY
  const bucket = sql<number>`${sql.ref('time')} / ${sql.lit(bucketMs)}`;
  const weight = sql<number>`case when ${sql.ref('decision')} = 'unauthenticated' and ${sql.ref('reason')} like ${sql.lit(
    UNAUTHENTICATED_SUMMARY_LIKE,
  )} then ${hooks.leadingCount(sql.ref('reason'))} else 1 end`;
  const rows = await db
    .selectFrom('audit')
    .select([bucket.as('bucket'), 'decision', sql<number>`sum(${weight})`.as('calls')])
    .where((eb) => auditWhere(eb, { ...filter, from: range.from, to: range.to }))
    .groupBy([bucket, 'decision'])
    .execute();
  return rows.map((row) => ({
    bucketStart: num(row.bucket) * bucketMs,
    decision: row.decision as AuditDecision,
    calls: num(row.calls),
  }));
}

/** Time of the oldest matching record (read from a time index, oldest first), or null. */
export async function oldestAuditTime(db: Kysely<Database>, filter: AuditFilter): Promise<number | null> {
  const row = await db
    .selectFrom('audit')
    .select('time')
    .where((eb) => auditWhere(eb, filter))
    .orderBy('time', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : num(row.time);
}
