import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecordInput } from './audit-record-builder.js';
import { NoiseAggregator } from './noise-aggregator.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function noise(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    time: T0,
    tokenId: null,
    tokenLabel: null,
    user: null,
    authMethod: null,
    method: 'GET',
    path: '/rest/api/space',
    rawQuery: '',
    decision: 'unauthenticated',
    reason: 'no credentials: send Basic USER:TOKEN or Bearer TOKEN',
    upstreamStatus: null,
    clientIp: '10.0.0.1',
    userAgent: 'flood/1',
    durationMs: 1,
    secret: null,
    ...overrides,
  };
}

test('a flood from one address is its first request at once, then one record with the count per minute', () => {
  const emitted: AuditRecordInput[] = [];
  const aggregator = new NoiseAggregator({ emit: (i) => emitted.push(i) });
  for (let i = 0; i < 8000; i++) aggregator.add(noise({ time: T0 + i }));
  assert.equal(emitted.length, 1, 'the first at once');
  aggregator.flush(T0 + 30_000);
  assert.equal(emitted.length, 1, 'the minute is not over');
  aggregator.flush(T0 + 60_000);
  assert.equal(emitted.length, 2);
  assert.match(
    emitted[1]?.reason ?? '',
    /^7999 more unauthenticated requests from this address in this minute; the last: no credentials/,
  );
  assert.equal(aggregator.size, 0);
  // the next minute starts a bucket of its own
  aggregator.add(noise({ time: T0 + 60_001 }));
  assert.equal(emitted.length, 3);
});

test('addresses and claimed users have buckets of their own; past 20 users per address they share one', () => {
  const emitted: AuditRecordInput[] = [];
  const aggregator = new NoiseAggregator({ emit: (i) => emitted.push(i) });
  aggregator.add(noise({ clientIp: '10.0.0.2' }));
  aggregator.add(noise({ user: 'bob', authMethod: 'basic' }));
  aggregator.add(noise({ user: 'BOB', authMethod: 'basic' }));
  assert.deepEqual(
    emitted.map((e) => [e.clientIp, e.user]),
    [
      ['10.0.0.2', null],
      ['10.0.0.1', 'bob'],
    ],
  );
  for (let i = 0; i < 100; i++) aggregator.add(noise({ user: `user${i}`, authMethod: 'basic' }));
  // 19 more users get a bucket (20 with bob), the other 81 share one: its first is written
  assert.equal(emitted.length, 2 + 19 + 1);
  aggregator.flush(Number.POSITIVE_INFINITY);
  const summaries = emitted.filter((e) => /more unauthenticated/.test(e.reason));
  assert.deepEqual(
    summaries.map((s) => s.reason.split(';')[0]),
    [
      '1 more unauthenticated request from this address in this minute',
      '80 more unauthenticated requests from this address in this minute',
    ],
  );
});

test('memory is bounded: past maxBuckets every bucket is written out', () => {
  const emitted: AuditRecordInput[] = [];
  const aggregator = new NoiseAggregator({ emit: (i) => emitted.push(i), maxBuckets: 100 });
  for (let i = 0; i < 1000; i++) {
    aggregator.add(noise({ clientIp: `10.1.${i >> 8}.${i & 255}` }));
    aggregator.add(noise({ clientIp: `10.1.${i >> 8}.${i & 255}` }));
    assert.ok(aggregator.size <= 100);
  }
  aggregator.flush(Number.POSITIVE_INFINITY);
  assert.equal(emitted.length, 2000, 'each address: its first, and one summary of one more');
});
