import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UsageDelta } from '../models.js';
import { type ContractContext, token } from './contract-context.js';

/** Usage details: atomic increments, latest use and address, exact under concurrency. */
export function usageContract(ctx: ContractContext): void {
  describe('usage', () => {
    test('addUsage adds calls; lastUsed and ip are those of the latest use', async () => {
      const t = token();
      await ctx.store.insertToken(t);
      await ctx.store.addUsage([
        { tokenId: t.id, calls: 2, lastUsed: 1000, ip: '10.0.0.1' },
        { tokenId: t.id, calls: 3, lastUsed: 3000, ip: '10.0.0.3' },
        { tokenId: t.id, calls: 1, lastUsed: 2000, ip: '10.0.0.2' },
      ]);
      let found = await ctx.store.findTokenById(t.id);
      assert.equal(found?.counter, 6);
      assert.equal(found?.lastUsed, 3000);
      assert.equal(found?.ip, '10.0.0.3');
      await ctx.store.addUsage([{ tokenId: t.id, calls: 1, lastUsed: 2500, ip: '10.0.0.9' }]);
      found = await ctx.store.findTokenById(t.id);
      assert.equal(found?.counter, 7);
      assert.equal(found?.lastUsed, 3000, 'an older use does not move lastUsed back');
      assert.equal(found?.ip, '10.0.0.3', 'nor the address');
      await ctx.store.addUsage([{ tokenId: t.id, calls: 1, lastUsed: 4000, ip: '10.0.0.4' }]);
      found = await ctx.store.findTokenById(t.id);
      assert.equal(found?.lastUsed, 4000);
      assert.equal(found?.ip, '10.0.0.4');
    });

    test('addUsage of an unknown token and of nothing are no-ops', async () => {
      await ctx.store.addUsage([]);
      await ctx.store.addUsage([{ tokenId: 'no-such-token', calls: 1, lastUsed: 1, ip: 'x' }]);
    });

    test('concurrent increments from two store instances add up exactly', async () => {
      const a = token();
      const b = token();
      await ctx.store.insertToken(a);
      await ctx.store.insertToken(b);
      const second = await ctx.reopen();
      try {
        const rounds = 100;
        const batch = (i: number, ip: string): UsageDelta[] => [
          { tokenId: a.id, calls: 1, lastUsed: 10_000 + i, ip },
          { tokenId: b.id, calls: 2, lastUsed: 10_000 + i, ip },
        ];
        const work: Promise<void>[] = [];
        for (let i = 0; i < rounds; i++) {
          work.push(ctx.store.addUsage(batch(i, 'first')));
          work.push(second.addUsage(batch(i, 'second').reverse()));
        }
        await Promise.all(work);
        await second.addUsage([{ tokenId: a.id, calls: 1, lastUsed: 99_999, ip: 'last' }]);
        const fa = await ctx.store.findTokenById(a.id);
        const fb = await ctx.store.findTokenById(b.id);
        assert.equal(fa?.counter, 2 * rounds + 1);
        assert.equal(fb?.counter, 4 * rounds);
        assert.equal(fa?.lastUsed, 99_999);
        assert.equal(fa?.ip, 'last');
        assert.equal(fb?.lastUsed, 10_000 + rounds - 1);
      } finally {
        await second.close();
      }
    });
  });
}
