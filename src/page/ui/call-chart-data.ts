/** What the chart of calls draws and says, from a `tokenTools/auditStats` answer (no DOM, no uPlot). */
import type { AuditStats, CallBucket, CallOutcome } from './types.js';

/** Bottom to top of the stack. */
export const OUTCOMES: readonly CallOutcome[] = ['allowed', 'denied', 'unauthenticated', 'error'];

/**
 * One colour per outcome, told apart with any colour vision (Okabe–Ito palette; the error purple
 * is darker for contrast on white). The legend's swatches in styles.css use the same values.
 */
export const OUTCOME_COLOURS: Readonly<Record<CallOutcome, string>> = {
  allowed: '#009e73',
  denied: '#d55e00',
  unauthenticated: '#e69f00',
  error: '#6a3d9a',
};

/**
 * The stacked series, top layer first (uPlot draws them in order, each over the last): for every
 * bucket the sum of its outcomes up to that layer, null where the layer adds nothing (no bar).
 * With x at the middle of each bucket.
 *
 * @example
 * stackedSeries(stats) // { x: [...], layers: [{ outcome: 'error', values: [...] }, …, { outcome: 'allowed', … }] }
 */
export function stackedSeries(stats: Pick<AuditStats, 'buckets' | 'bucketMs'>): {
  x: number[];
  layers: { outcome: CallOutcome; values: (number | null)[] }[];
} {
  const x = stats.buckets.map((b) => b.start + stats.bucketMs / 2);
  const layers = OUTCOMES.map((outcome, level) => ({
    outcome,
    values: stats.buckets.map((b) => {
      if (b[outcome] === 0) return null;
      return OUTCOMES.slice(0, level + 1).reduce((sum, o) => sum + b[o], 0);
    }),
  }));
  return { x, layers: layers.reverse() };
}

/** Calls of one bucket, all outcomes. */
export function bucketTotal(bucket: CallBucket): number {
  return OUTCOMES.reduce((sum, o) => sum + bucket[o], 0);
}

/** `3 calls`, `1 call`. */
function calls(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'call' : 'calls'}`;
}

/**
 * The chart in words (its accessible name): the total and each outcome's count.
 *
 * @example
 * chartSummary(stats) // '6 calls: 3 allowed, 2 denied, 1 unauthenticated, 0 error'
 */
export function chartSummary(stats: Pick<AuditStats, 'totals' | 'total'>): string {
  return `${calls(stats.total)}: ${OUTCOMES.map((o) => `${stats.totals[o].toLocaleString()} ${o}`).join(', ')}`;
}
