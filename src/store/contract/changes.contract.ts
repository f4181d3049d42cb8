import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Change } from '../models.js';
import { audit, type ContractContext, eventually, token, unique } from './contract-context.js';

/** The change feed: which writes record a change, and delivery to listeners of any instance. */
export function changesContract(ctx: ContractContext): void {
  describe('change feed', () => {
    test('token, user and settings writes record changes; usage, audit, meta do not', async () => {
      const start = await ctx.store.currentChangeSeq();
      const t = token({ secretCiphertext: 'kept' });
      const name = unique('Changer');
      await ctx.store.insertToken(t);
      await ctx.store.createUser({ username: name });
      await ctx.store.setUserActive(name, false);
      await ctx.store.setUserPassword(name, 'scrypt$x');
      await ctx.store.updateSettings({ usageDetails: true });
      await ctx.store.addUsage([{ tokenId: t.id, calls: 1, lastUsed: 1, ip: 'x' }]);
      await ctx.store.insertAudit([audit()]);
      await ctx.store.setMeta(unique('m'), 'v');
      await ctx.store.heartbeat(unique('n'), false, Date.now());
      await ctx.store.recordAuthFailure(unique('k'), 1000, Date.now());
      await ctx.store.wipeSecrets();
      await ctx.store.deleteToken(t.id);
      await ctx.store.setUserActive('no-such-user-for-changes', true);
      const changes = await ctx.store.changesAfter(start);
      const mine = changes.filter((c) => c.key === t.digest || c.key === name.toLowerCase() || c.kind === 'settings');
      assert.deepEqual(
        mine.map((c) => [c.kind, c.key]),
        [
          ['token', t.digest],
          ['user', name.toLowerCase()],
          ['user', name.toLowerCase()],
          ['user', name.toLowerCase()],
          ['settings', ''],
          ['token', t.digest],
          ['token', t.digest],
        ],
      );
      const seqs = changes.map((c) => c.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.ok(seqs.every((s) => s > start));
      assert.equal(await ctx.store.currentChangeSeq(), seqs[seqs.length - 1]);
      assert.equal((await ctx.store.changesAfter(start, 2)).length, 2);
      assert.deepEqual(await ctx.store.changesAfter(await ctx.store.currentChangeSeq()), []);
    });

    test('a change made through another instance reaches a listener within one second', async () => {
      const seen: Change[] = [];
      const stop = ctx.store.subscribe((c) => seen.push(c));
      const second = await ctx.reopen();
      try {
        const t = token();
        await second.insertToken(t);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the listener is settled
        const started = Date.now();
        await second.deleteToken(t.id);
        const deletedAt = Date.now();
        await eventually(() => seen.filter((c) => c.key === t.digest).length >= 2, 3000, 'delete seen');
        const latency = Date.now() - deletedAt;
        assert.ok(latency < 1000, `seen after ${latency} ms (write took ${deletedAt - started} ms)`);
        const name = unique('remote');
        await second.createUser({ username: name });
        await eventually(() => seen.some((c) => c.kind === 'user' && c.key === name.toLowerCase()), 1000, 'user seen');
        await second.updateSettings({ auditLog: true });
        const settingsSeq = await second.currentChangeSeq();
        await eventually(() => seen.some((c) => c.kind === 'settings' && c.seq === settingsSeq), 1000, 'settings seen');
        const seqs = seen.map((c) => c.seq);
        assert.deepEqual(
          seqs,
          [...new Set(seqs)].sort((a, b) => a - b),
          'in order, once each',
        );
      } finally {
        stop();
        await second.close();
      }
    });

    test('own changes reach own listeners; every listener gets each; unsubscribe stops delivery', async () => {
      const a: Change[] = [];
      const b: Change[] = [];
      const stopA = ctx.store.subscribe((c) => a.push(c));
      const stopB = ctx.store.subscribe((c) => {
        b.push(c);
        throw new Error('a failing listener does not stop the others');
      });
      try {
        const t = token();
        await ctx.store.insertToken(t);
        await eventually(
          () => a.some((c) => c.key === t.digest) && b.some((c) => c.key === t.digest),
          1000,
          'both listeners',
        );
        stopB();
        const u = token();
        await ctx.store.insertToken(u);
        await eventually(() => a.some((c) => c.key === u.digest), 1000, 'listener a');
        await new Promise((resolve) => setTimeout(resolve, 250));
        assert.equal(
          b.some((c) => c.key === u.digest),
          false,
        );
      } finally {
        stopA();
        stopB();
      }
    });
  });
}
