import { HttpError } from '../http/http-error.js';
import type { AuditStatsRow, TimeRange } from '../store/models.js';
import { CALL_OUTCOMES, type CallOutcome, OUTCOME_OF_DECISION } from './call-outcome.js';

/** The bucket lengths the chart of calls offers, ms (UTC: a day bucket is a UTC day). */
export const BUCKET_MS = Object.freeze({ minute: 60_000, hour: 3_600_000, day: 86_400_000 });

export type BucketSize = keyof typeof BUCKET_MS;

export const BUCKET_SIZES = Object.keys(BUCKET_MS) as BucketSize[];

/** Most buckets in one answer (a day in minutes fits). */
export const MAX_BUCKETS = 1500;

/** An automatic bucket is the smallest that gives at most this many (3 h in minutes, 7.5 days in hours). */
export const AUTO_MAX_BUCKETS = 180;

/** Buckets of `bucketMs` that `range` touches (both ends included). */
export function bucketCount(range: TimeRange, bucketMs: number): number {
  return Math.floor(range.to / bucketMs) - Math.floor(range.from / bucketMs) + 1;
}

/** The smallest bucket size giving at most {@link AUTO_MAX_BUCKETS} buckets over `range` (else days). */
export function autoBucket(range: TimeRange): BucketSize {
  return BUCKET_SIZES.find((size) => bucketCount(range, BUCKET_MS[size]) <= AUTO_MAX_BUCKETS) ?? 'day';
}

/** The range and bucket counted: the asked range, or its newest {@link MAX_BUCKETS} buckets. */
export interface BucketPlan {
  readonly range: TimeRange;
  readonly bucket: BucketSize;
  readonly bucketMs: number;
  /** True when `from` was not given and the records reach further back than the buckets allowed. */
  readonly truncated: boolean;
}

/**
 * The buckets to count over `range`. `bucket` `auto` picks one from the range's length. Beyond
 * {@link MAX_BUCKETS}: when the start was asked for (`fromGiven`), a 400 `too_many_buckets`;
 * when it was only the oldest record, the range starts at the oldest bucket allowed instead.
 *
 * @example
 * planBuckets({ from: 0, to: 3_599_999 }, 'auto', true) // { bucket: 'minute', bucketMs: 60000, … }
 * @throws HttpError too_many_buckets
 */
export function planBuckets(range: TimeRange, bucket: BucketSize | 'auto', fromGiven: boolean): BucketPlan {
  const size = bucket === 'auto' ? autoBucket(range) : bucket;
  const bucketMs = BUCKET_MS[size];
  const count = bucketCount(range, bucketMs);
  if (count <= MAX_BUCKETS) return { range, bucket: size, bucketMs, truncated: false };
  if (fromGiven) {
    const larger = BUCKET_SIZES.slice(BUCKET_SIZES.indexOf(size) + 1);
    throw new HttpError(
      'too_many_buckets',
      `the range holds ${count} ${size} buckets, more than ${MAX_BUCKETS}: ${
        larger.length > 0 ? `choose bucket=${larger.join(' or ')} or ` : 'choose '
      }a shorter range (from, to)`,
    );
  }
  const from = (Math.floor(range.to / bucketMs) - MAX_BUCKETS + 1) * bucketMs;
  return { range: { from, to: range.to }, bucket: size, bucketMs, truncated: true };
}

export type CallCounts = Record<CallOutcome, number>;

/** One bucket of the chart: its start (epoch ms) and its calls by outcome. */
export interface CallBucket extends CallCounts {
  readonly start: number;
}

function zero(): CallCounts {
  return { allowed: 0, denied: 0, unauthenticated: 0, error: 0 };
}

/**
 * Every bucket of the plan, oldest first, empty ones included (the chart's x axis is continuous),
 * with the store's rows folded into outcomes (see {@link OUTCOME_OF_DECISION}), and the totals.
 */
export function callSeries(
  plan: BucketPlan,
  rows: readonly AuditStatsRow[],
): { buckets: CallBucket[]; totals: CallCounts; total: number } {
  const first = Math.floor(plan.range.from / plan.bucketMs);
  const count = bucketCount(plan.range, plan.bucketMs);
  const counts = Array.from({ length: count }, zero);
  const totals = zero();
  for (const row of rows) {
    const outcome = OUTCOME_OF_DECISION[row.decision];
    const index = Math.floor(row.bucketStart / plan.bucketMs) - first;
    const slot = counts[index];
    if (outcome === null || slot === undefined) continue;
    slot[outcome] += row.calls;
    totals[outcome] += row.calls;
  }
  const buckets = counts.map((c, i) => ({ start: (first + i) * plan.bucketMs, ...c }));
  const total = CALL_OUTCOMES.reduce((sum, outcome) => sum + totals[outcome], 0);
  return { buckets, totals, total };
}
