import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lineageOf, type NewWebhookEvent } from '../models.js';
import { type ContractContext, token, unique } from './contract-context.js';

/** Token policy counters: rate-limit windows and quotas, exact under concurrency and across instances. */
export function policyContract(ctx: ContractContext): void {
  describe('token policy counters', () => {
    test('countRateWindow counts per key and fixed window', async () => {
      const key = unique('rate:');
      const t0 = 1_800_000_000_000;
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0), 1);
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0 + 59_999), 2);
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0 + 60_000), 1, 'next window');
      assert.equal(await ctx.store.countRateWindow(`${key}-other`, 60_000, t0), 1);
    });

    test('countRateWindow adds several calls at once and answers the count after them', async () => {
      const key = unique('rate:');
      const t0 = 1_800_000_000_000;
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0, 5), 5, 'a new window starts at the calls');
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0 + 1, 3), 8);
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0 + 2), 9, 'one call by default');
      assert.equal(await ctx.store.countRateWindow(key, 60_000, t0 + 60_000, 2), 2, 'next window');
    });

    test('concurrent calls from two instances are each counted once', async () => {
      const key = unique('rate:');
      const second = await ctx.reopen();
      try {
        const work: Promise<number>[] = [];
        for (let i = 0; i < 30; i++) {
          work.push(ctx.store.countRateWindow(key, 1000, 1_800_000_000_000));
          work.push(second.countRateWindow(key, 1000, 1_800_000_000_000));
        }
        const counts = (await Promise.all(work)).sort((a, b) => a - b);
        assert.deepEqual(
          counts,
          Array.from({ length: 60 }, (_, i) => i + 1),
        );
      } finally {
        await second.close();
      }
    });

    test('useQuota counts up to the quota and never past it, across instances', async () => {
      const record = token({ quota: 25 });
      await ctx.store.insertToken(record);
      const second = await ctx.reopen();
      try {
        const work: Promise<number | null>[] = [];
        for (let i = 0; i < 20; i++) work.push(ctx.store.useQuota(record.id), second.useQuota(record.id));
        const results = await Promise.all(work);
        const granted = results.filter((r): r is number => r !== null).sort((a, b) => a - b);
        assert.deepEqual(
          granted,
          Array.from({ length: 25 }, (_, i) => i + 1),
        );
        assert.equal(results.filter((r) => r === null).length, 15);
        assert.equal((await ctx.store.findTokenById(record.id))?.quotaUsed, 25);
      } finally {
        await second.close();
      }
    });

    test('the call that uses the last of a quota records its event in the same write, once', async () => {
      const record = token({ quota: 5 });
      await ctx.store.insertToken(record);
      const key = `${record.id}|token.quota_exhausted`;
      let built = 0;
      const exhausted = (): NewWebhookEvent => {
        built += 1;
        return { key, type: 'token.quota_exhausted', tokenId: record.id, body: '{}', createdAt: 1_800_000_000_000 };
      };
      const second = await ctx.reopen();
      try {
        const work: Promise<number | null>[] = [];
        for (let i = 0; i < 6; i++)
          work.push(ctx.store.useQuota(record.id, exhausted), second.useQuota(record.id, exhausted));
        await Promise.all(work);
        assert.equal(built, 1, 'built for the last call only');
        // the event is in the outbox: the same key is not recorded again
        assert.equal(await ctx.store.insertWebhookEvents([exhausted()]), 0);
      } finally {
        await second.close();
      }
    });

    test('useQuota is null for a token without a quota or an unknown token', async () => {
      const plain = token();
      await ctx.store.insertToken(plain);
      assert.equal(await ctx.store.useQuota(plain.id), null);
      assert.equal(await ctx.store.useQuota(unique('missing-')), null);
    });

    test('policy fields round-trip', async () => {
      const record = token({ rateLimit: '10/minute', quota: 5, allowedIps: '10.0.0.0/8\n::1' });
      await ctx.store.insertToken(record);
      const found = await ctx.store.findTokenById(record.id);
      assert.equal(found?.rateLimit, '10/minute');
      assert.equal(found?.quota, 5);
      assert.equal(found?.quotaUsed, 0);
      assert.equal(found?.allowedIps, '10.0.0.0/8\n::1');
    });
  });
}

/** Rotation: the replacement and the retired token change together. */
export function rotationContract(ctx: ContractContext): void {
  describe('token rotation', () => {
    test('rotateToken inserts the replacement and brings the old expiry forward, never back', async () => {
      const old = token({ validUntil: 9_000_000_000_000 });
      await ctx.store.insertToken(old);
      const next = token({ label: old.label });
      const rotation = await ctx.store.rotateToken(old.id, next, 8_000_000_000_000);
      assert.equal(rotation?.before.validUntil, 9_000_000_000_000);
      assert.equal((await ctx.store.findTokenById(old.id))?.validUntil, 8_000_000_000_000);
      assert.equal((await ctx.store.findTokenByDigest(next.digest))?.id, next.id);

      const soon = token({ validUntil: 1000 });
      await ctx.store.insertToken(soon);
      await ctx.store.rotateToken(soon.id, token(), 5000);
      assert.equal((await ctx.store.findTokenById(soon.id))?.validUntil, 1000, 'not pushed back');
    });

    test('a grace of none deletes the old token; an unknown old token inserts nothing', async () => {
      const old = token();
      await ctx.store.insertToken(old);
      await ctx.store.rotateToken(old.id, token({ id: unique('new-') }), null);
      assert.equal(await ctx.store.findTokenById(old.id), undefined);
      const orphan = token();
      assert.equal(await ctx.store.rotateToken(unique('gone-'), orphan, null), undefined);
      assert.equal(await ctx.store.findTokenById(orphan.id), undefined);
    });

    test('the replacement joins the lineage with the count as it is in the transaction', async () => {
      const first = token({ quota: 10 });
      await ctx.store.insertToken(first);
      // the caller read the old token before these calls: its quotaUsed (0) is stale
      const stale = token({ quota: 10, quotaUsed: 0 });
      for (let i = 0; i < 3; i++) await ctx.store.useQuota(lineageOf(first));
      const rotation = await ctx.store.rotateToken(first.id, stale, 9_000_000_000_000);
      assert.equal(rotation?.after.lineageId, first.id);
      assert.equal(rotation?.after.quotaUsed, 3);
      const stored = await ctx.store.findTokenById(stale.id);
      assert.equal(stored?.lineageId, first.id);
      assert.equal(stored?.quotaUsed, 3);
      const again = token({ quota: 10 });
      const second = await ctx.store.rotateToken(stale.id, again, 9_000_000_000_000);
      assert.equal(second?.after.lineageId, first.id, 'a rotation of a rotation stays in the first lineage');
    });

    test('the old and the new token of a rotation share one quota, across instances', async () => {
      const old = token({ quota: 30 });
      await ctx.store.insertToken(old);
      for (let i = 0; i < 10; i++) await ctx.store.useQuota(lineageOf(old));
      const next = token({ quota: 30 });
      const rotation = await ctx.store.rotateToken(old.id, next, 9_000_000_000_000);
      assert.ok(rotation !== undefined);
      const second = await ctx.reopen();
      try {
        const work: Promise<number | null>[] = [];
        // 20 calls left: 20 with each secret, on two instances
        for (let i = 0; i < 10; i++) {
          work.push(ctx.store.useQuota(lineageOf(rotation.before)), second.useQuota(lineageOf(rotation.before)));
          work.push(ctx.store.useQuota(lineageOf(rotation.after)), second.useQuota(lineageOf(rotation.after)));
        }
        const results = await Promise.all(work);
        assert.deepEqual(
          results.filter((r): r is number => r !== null).sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i + 11),
        );
        assert.equal(results.filter((r) => r === null).length, 20);
        assert.equal((await ctx.store.findTokenById(old.id))?.quotaUsed, 30);
        assert.equal((await ctx.store.findTokenById(next.id))?.quotaUsed, 30);
      } finally {
        await second.close();
      }
    });
  });
}
