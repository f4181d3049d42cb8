import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateTokenError } from '../store.js';
import { type ContractContext, token, unique } from './contract-context.js';

/** Tokens: insert, lookups, duplicates, listing, delete, wipeSecrets. */
export function tokensContract(ctx: ContractContext): void {
  describe('tokens', () => {
    test('insertToken then find by digest and by id, every field round-trips', async () => {
      const t = token({
        user: 'Bob',
        limitTo: '[GET].*/rest/api/space.*\n.*/rest/api/content.*',
        validUntil: 4_102_444_800_000,
        dateCreated: 1_700_000_000_123,
        counter: 7,
        ip: '10.0.0.1',
        lastUsed: 1_700_000_000_999,
        author: null,
      });
      await ctx.store.insertToken(t);
      assert.deepEqual(await ctx.store.findTokenByDigest(t.digest), t);
      assert.deepEqual(await ctx.store.findTokenById(t.id), t);
      assert.equal(await ctx.store.findTokenByDigest('no-such-digest'), undefined);
      assert.equal(await ctx.store.findTokenById('no-such-id'), undefined);
    });

    test('a digest in use is refused with DuplicateTokenError', async () => {
      const t = token();
      await ctx.store.insertToken(t);
      await assert.rejects(ctx.store.insertToken(token({ digest: t.digest })), DuplicateTokenError);
    });

    test('listTokens: all, or by user case-insensitively, newest first', async () => {
      const user = unique('Lister');
      const base = Date.now() - 10_000;
      const older = token({ user, dateCreated: base });
      const newer = token({ user: user.toLowerCase(), dateCreated: base + 5 });
      const newest = token({ user, dateCreated: base + 9 });
      const other = token({ user: unique('other'), dateCreated: base + 7 });
      const unbound = token({ user: null, dateCreated: base + 8 });
      for (const t of [older, newest, other, newer, unbound]) await ctx.store.insertToken(t);
      const mine = await ctx.store.listTokens(user.toUpperCase());
      assert.deepEqual(
        mine.map((t) => t.id),
        [newest.id, newer.id, older.id],
      );
      const all = await ctx.store.listTokens();
      for (const t of [older, newer, newest, other, unbound]) assert.ok(all.some((a) => a.id === t.id));
      const times = all.map((t) => t.dateCreated);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
    });

    test('deleteToken returns the deleted record, then undefined', async () => {
      const t = token({ user: 'someone' });
      await ctx.store.insertToken(t);
      assert.deepEqual(await ctx.store.deleteToken(t.id), t);
      assert.equal(await ctx.store.findTokenById(t.id), undefined);
      assert.equal(await ctx.store.findTokenByDigest(t.digest), undefined);
      assert.equal(await ctx.store.deleteToken(t.id), undefined);
    });

    test('wipeSecrets forgets every kept secret and counts them; tokens stay', async () => {
      const kept = token({ secretCiphertext: 'secret-a' });
      const none = token({ secretCiphertext: null });
      await ctx.store.insertToken(kept);
      await ctx.store.insertToken(none);
      const wiped = await ctx.store.wipeSecrets();
      assert.ok(wiped >= 1);
      assert.equal((await ctx.store.findTokenById(kept.id))?.secretCiphertext, null);
      assert.equal((await ctx.store.findTokenById(none.id))?.secretCiphertext, null);
      assert.equal(await ctx.store.wipeSecrets(), 0);
      assert.ok(await ctx.store.findTokenByDigest(kept.digest));
    });
  });
}
