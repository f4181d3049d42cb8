import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartSummary, stackedSeries } from './ui/call-chart-data.js';

const bucket = (start: number, allowed: number, denied: number, unauthenticated: number, error: number) => ({
  start,
  allowed,
  denied,
  unauthenticated,
  error,
});

test('stacked series: top layer first, each the sum of the layers below it, null where it adds nothing', () => {
  const { x, layers } = stackedSeries({
    bucketMs: 60_000,
    buckets: [bucket(0, 3, 2, 1, 0), bucket(60_000, 0, 0, 0, 0), bucket(120_000, 1, 0, 0, 4)],
  });
  assert.deepEqual(x, [30_000, 90_000, 150_000]);
  assert.deepEqual(
    layers.map((l) => [l.outcome, l.values]),
    [
      ['error', [null, null, 5]],
      ['unauthenticated', [6, null, null]],
      ['denied', [5, null, null]],
      ['allowed', [3, null, 1]],
    ],
  );
});

test('the summary names the total and every outcome, zeros included', () => {
  const totals = { allowed: 3, denied: 2, unauthenticated: 1, error: 0 };
  assert.equal(chartSummary({ totals, total: 6 }), '6 calls: 3 allowed, 2 denied, 1 unauthenticated, 0 error');
  assert.equal(
    chartSummary({ totals: { allowed: 1, denied: 0, unauthenticated: 0, error: 0 }, total: 1 }),
    '1 call: 1 allowed, 0 denied, 0 unauthenticated, 0 error',
  );
});
