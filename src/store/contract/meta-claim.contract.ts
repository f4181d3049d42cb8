import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MetaMismatchError } from '../store.js';
import { type ContractContext, token, unique } from './contract-context.js';

/** Keys are created race-free: first writer wins, and a sealed write is conditional on the meta. */
export function metaClaimContract(ctx: ContractContext): void {
  describe('meta claims and conditional writes', () => {
    test('the migrations created the digest key', async () => {
      const key = await ctx.store.getMeta('digestKey');
      assert.ok(key !== undefined && Buffer.from(key, 'base64').length === 32);
    });

    test('claimMeta: the first value wins, for every instance claiming at once', async () => {
      const key = unique('claim-');
      const others = await Promise.all([ctx.reopen(), ctx.reopen(), ctx.reopen()]);
      try {
        const stores = [ctx.store, ...others];
        const answers = await Promise.all(
          stores.flatMap((s, i) => [s.claimMeta(key, `a${i}`), s.claimMeta(key, `b${i}`)]),
        );
        const held = await ctx.store.getMeta(key);
        assert.ok(held !== undefined);
        assert.deepEqual(new Set(answers), new Set([held]));
      } finally {
        await Promise.all(others.map((s) => s.close()));
      }
    });

    test('insertToken with a condition that does not hold writes nothing', async () => {
      const key = unique('cond-');
      await ctx.store.setMeta(key, 'right');
      const refused = token();
      await assert.rejects(ctx.store.insertToken(refused, { key, value: 'wrong' }), MetaMismatchError);
      assert.equal(await ctx.store.findTokenById(refused.id), undefined);
      const accepted = token();
      await ctx.store.insertToken(accepted, { key, value: 'right' });
      assert.equal((await ctx.store.findTokenById(accepted.id))?.id, accepted.id);
    });
  });
}
