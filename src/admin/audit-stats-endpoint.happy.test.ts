import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestStore, record, type TestStore, tokenRecord } from '../audit/audit.test-helpers.js';
import { type AuditRecordInput, createAuditRecordBuilder } from '../audit/audit-record-builder.js';
import { NoiseAggregator } from '../audit/noise-aggregator.js';
import { type AuditRecord, DEFAULT_SETTINGS } from '../store/models.js';
import { testConfig } from '../testing/test-config.js';
import type { AdminDeps } from './admin-endpoint.js';
import { auditStatsEndpoint } from './audit-stats-endpoint.js';
import { busy, stats, statsRequest, user } from './audit-stats-endpoint.test-helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Midnight UTC, so every bucket size starts here. */
const T0 = Date.UTC(2024, 4, 17);
const NOW = T0 + 30 * MINUTE;

describe('GET tokenTools/auditStats: calls per bucket by outcome', () => {
  let t: TestStore;
  let deps: AdminDeps;
  const admin = user('admin', true);

  before(async () => {
    t = await openTestStore();
    deps = { config: testConfig('./data'), store: t.store, settings: () => DEFAULT_SETTINGS, now: () => NOW };
    await t.store.insertToken(tokenRecord('tok_a', 'bob'));
    const at = (minute: number, second = 0) => T0 + minute * MINUTE + second * 1000;
    await t.store.insertAudit([
      record({ time: at(1), tokenId: 'tok_a' }),
      record({ time: at(1, 5), tokenId: 'tok_a' }),
      record({ time: at(1, 59), tokenId: 'tok_a' }),
      record({ time: at(2), tokenId: 'tok_a', decision: 'denied' }),
      record({ time: at(2, 1), tokenId: 'tok_b', user: 'carol', decision: 'refused' }),
      record({ time: at(4), tokenId: null, user: 'bob', decision: 'unauthenticated' }),
      record({ time: at(9), tokenId: 'tok_b', user: 'carol', decision: 'error', path: '/rest/other/x' }),
      // neither is a token call: not counted
      record({ time: at(9), tokenId: null, user: 'admin', decision: 'admin' }),
      record({ time: at(9), tokenId: null, user: null, decision: 'passthrough' }),
    ]);
  });

  after(async () => {
    await t?.close();
  });

  test('by default: from an hour before now (or the oldest record) to now, in minutes, every bucket listed', async () => {
    const answer = stats(await auditStatsEndpoint.handle(statsRequest(admin), deps));
    assert.equal(answer.status, 'ok');
    assert.deepEqual([answer.from, answer.to, answer.bucket, answer.bucketMs], [NOW - HOUR, NOW, 'minute', MINUTE]);
    assert.equal(answer.truncated, false);
    assert.equal(answer.buckets.length, 61);
    assert.deepEqual(
      answer.buckets.map((b) => b.start),
      Array.from({ length: 61 }, (_, i) => NOW - HOUR + i * MINUTE),
    );
    // refused counts as denied; admin and passthrough records are not calls
    assert.deepEqual(busy(answer, T0), ['1 3/0/0/0', '2 0/2/0/0', '4 0/0/1/0', '9 0/0/0/1']);
    assert.deepEqual(answer.totals, { allowed: 3, denied: 2, unauthenticated: 1, error: 1 });
    assert.equal(answer.total, 7);
  });

  test('the audit filters apply: token, user, decision, path, range', async () => {
    const byToken = stats(await auditStatsEndpoint.handle(statsRequest(admin, { tokenId: 'tok_a' }), deps));
    assert.deepEqual(byToken.totals, { allowed: 3, denied: 1, unauthenticated: 0, error: 0 });
    const byTokenLongAgo = stats(
      await auditStatsEndpoint.handle(statsRequest(admin, { tokenId: 'tok_a' }), { ...deps, now: () => NOW + DAY }),
    );
    assert.equal(byTokenLongAgo.from, T0 + MINUTE, 'from: the oldest record of that token, when over an hour ago');
    const byUser = stats(await auditStatsEndpoint.handle(statsRequest(admin, { user: 'CAROL' }), deps));
    assert.deepEqual(byUser.totals, { allowed: 0, denied: 1, unauthenticated: 0, error: 1 });
    const refused = stats(await auditStatsEndpoint.handle(statsRequest(admin, { decision: 'refused' }), deps));
    assert.deepEqual(refused.totals, { allowed: 0, denied: 1, unauthenticated: 0, error: 0 });
    const byPath = stats(await auditStatsEndpoint.handle(statsRequest(admin, { path: '/rest/other/' }), deps));
    assert.deepEqual(byPath.totals, { allowed: 0, denied: 0, unauthenticated: 0, error: 1 });
    const range = stats(
      await auditStatsEndpoint.handle(
        statsRequest(admin, { from: new Date(T0 + 2 * MINUTE).toISOString(), to: String(T0 + 4 * MINUTE) }),
        deps,
      ),
    );
    assert.deepEqual([range.from, range.to, range.buckets.length], [T0 + 2 * MINUTE, T0 + 4 * MINUTE, 3]);
    assert.deepEqual(busy(range, T0), ['2 0/2/0/0', '4 0/0/1/0']);
  });

  test('the bucket follows the range, or is the one asked for', async () => {
    const ask = async (query: Record<string, string>) =>
      stats(await auditStatsEndpoint.handle(statsRequest(admin, query), deps));
    const threeHours = await ask({ from: String(T0), to: String(T0 + 3 * HOUR - 1) });
    assert.deepEqual([threeHours.bucket, threeHours.buckets.length], ['minute', 180]);
    const aDay = await ask({ from: String(T0), to: String(T0 + DAY - 1) });
    assert.deepEqual([aDay.bucket, aDay.buckets.length], ['hour', 24]);
    assert.deepEqual(busy(aDay, T0, HOUR), ['0 3/2/1/1']);
    const aMonth = await ask({ from: '2024-05-01', to: '2024-05-31' });
    assert.deepEqual([aMonth.bucket, aMonth.buckets.length, aMonth.to], ['day', 31, Date.UTC(2024, 4, 31) + DAY - 1]);
    assert.deepEqual(busy(aMonth, Date.UTC(2024, 4, 1), DAY), ['16 3/2/1/1']);
    const asked = await ask({ from: String(T0), to: String(T0 + DAY - 1), bucket: 'minute' });
    assert.deepEqual([asked.bucket, asked.buckets.length], ['minute', 1440]);
    const days = await ask({ bucket: 'DAY' });
    assert.deepEqual([days.bucket, days.from, days.buckets.length], ['day', NOW - HOUR, 2]);
    assert.equal(days.buckets[1]?.start, T0, 'a bucket starts on a multiple of its length');
  });

  test('without from, a long history is cut to the newest 1,500 buckets (truncated)', async () => {
    const old = await openTestStore();
    try {
      await old.store.insertAudit([record({ time: NOW - 2 * DAY }), record({ time: NOW - 10 })]);
      const oldDeps = { ...deps, store: old.store };
      const minutes = stats(await auditStatsEndpoint.handle(statsRequest(admin, { bucket: 'minute' }), oldDeps));
      assert.equal(minutes.truncated, true);
      assert.equal(minutes.buckets.length, 1500);
      assert.equal(minutes.from, Math.floor(NOW / MINUTE) * MINUTE - 1499 * MINUTE);
      assert.equal(minutes.total, 1, 'the record before the range is not counted');
      const auto = stats(await auditStatsEndpoint.handle(statsRequest(admin), oldDeps));
      assert.deepEqual([auto.truncated, auto.bucket, auto.total], [false, 'hour', 2]);
    } finally {
      await old.close();
    }
  });

  test('nothing recorded: the last hour, empty, total 0', async () => {
    const answer = stats(await auditStatsEndpoint.handle(statsRequest(admin, { tokenId: 'tok_none' }), deps));
    assert.deepEqual([answer.from, answer.to, answer.total, answer.buckets.length], [NOW - HOUR, NOW, 0, 61]);
  });

  test("the noise aggregator's summary records count as the attempts they stand for", async () => {
    const noisy = await openTestStore();
    try {
      const build = createAuditRecordBuilder({ node: 'test-node' });
      const written: AuditRecord[] = [];
      const noise = new NoiseAggregator({ emit: (input) => written.push(build(input)) });
      const attempt = (i: number): AuditRecordInput => ({
        time: T0 + i * 1000,
        tokenId: null,
        tokenLabel: null,
        user: 'mallory',
        authMethod: 'basic',
        method: 'GET',
        path: '/rest/api/space',
        rawQuery: '',
        decision: 'unauthenticated',
        reason: 'unknown token',
        upstreamStatus: null,
        clientIp: '10.0.0.9',
        userAgent: 'scanner',
        durationMs: 0,
        secret: null,
      });
      for (let i = 0; i < 25; i++) noise.add(attempt(i));
      noise.flush(T0 + MINUTE);
      assert.equal(written.length, 2, 'the first attempt and one summary');
      await noisy.store.insertAudit(written);
      const answer = stats(await auditStatsEndpoint.handle(statsRequest(admin), { ...deps, store: noisy.store }));
      assert.deepEqual(answer.totals, { allowed: 0, denied: 0, unauthenticated: 25, error: 0 });
    } finally {
      await noisy.close();
    }
  });
});
