import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ContractContext, unique } from './contract-context.js';

/** Node heartbeats and the shared failed-authentication counter. */
export function nodesContract(ctx: ContractContext): void {
  describe('nodes', () => {
    test('heartbeat upserts; liveNodes filters by last seen; removeNode deletes', async () => {
      const a = unique('node-a-');
      const b = unique('node-b-');
      const now = 5_000_000_000_000;
      await ctx.store.heartbeat(a, true, now - 60_000);
      await ctx.store.heartbeat(b, false, now);
      let live = (await ctx.store.liveNodes(now - 30_000)).filter((n) => n.nodeId === a || n.nodeId === b);
      assert.deepEqual(live, [{ nodeId: b, secureMode: false, lastSeen: now }]);
      await ctx.store.heartbeat(a, false, now + 1);
      live = (await ctx.store.liveNodes(now - 30_000)).filter((n) => n.nodeId === a || n.nodeId === b);
      assert.deepEqual(
        live.sort((x, y) => (x.nodeId < y.nodeId ? -1 : 1)),
        [
          { nodeId: a, secureMode: false, lastSeen: now + 1 },
          { nodeId: b, secureMode: false, lastSeen: now },
        ],
      );
      await ctx.store.removeNode(a);
      await ctx.store.removeNode('no-such-node');
      live = (await ctx.store.liveNodes(0)).filter((n) => n.nodeId === a || n.nodeId === b);
      assert.deepEqual(live, [{ nodeId: b, secureMode: false, lastSeen: now }]);
    });
  });

  describe('auth failures', () => {
    test('recordAuthFailure counts per key and fixed window', async () => {
      const key = unique('10.9.');
      const windowMs = 60_000;
      const t0 = 1_800_000_000_000;
      assert.equal(await ctx.store.authFailures(key, windowMs, t0), 0);
      assert.equal(await ctx.store.recordAuthFailure(key, windowMs, t0), 1);
      assert.equal(await ctx.store.recordAuthFailure(key, windowMs, t0 + 59_999), 2);
      assert.equal(await ctx.store.authFailures(key, windowMs, t0 + 1), 2);
      assert.equal(await ctx.store.recordAuthFailure(key, windowMs, t0 + 60_000), 1, 'next window');
      assert.equal(await ctx.store.authFailures(key, windowMs, t0 + 60_001), 1);
      assert.equal(await ctx.store.recordAuthFailure(`${key}-other`, windowMs, t0), 1);
    });

    test('releaseAuthFailure takes back one attempt in its window, never below zero', async () => {
      const key = unique('10.7.');
      const t0 = 1_800_000_000_000;
      await ctx.store.recordAuthFailure(key, 60_000, t0);
      await ctx.store.recordAuthFailure(key, 60_000, t0);
      await ctx.store.releaseAuthFailure(key, 60_000, t0 + 1);
      assert.equal(await ctx.store.authFailures(key, 60_000, t0), 1);
      await ctx.store.releaseAuthFailure(key, 60_000, t0 + 60_000);
      assert.equal(await ctx.store.authFailures(key, 60_000, t0), 1, 'another window is untouched');
      await ctx.store.releaseAuthFailure(key, 60_000, t0);
      await ctx.store.releaseAuthFailure(key, 60_000, t0);
      assert.equal(await ctx.store.authFailures(key, 60_000, t0), 0);
      assert.equal(await ctx.store.recordAuthFailure(key, 60_000, t0), 1);
    });

    test('concurrent failures from two instances are each counted once', async () => {
      const key = unique('10.8.');
      const second = await ctx.reopen();
      try {
        const now = 1_800_000_000_000;
        const work: Promise<number>[] = [];
        for (let i = 0; i < 40; i++) {
          work.push(ctx.store.recordAuthFailure(key, 60_000, now));
          work.push(second.recordAuthFailure(key, 60_000, now));
        }
        const counts = (await Promise.all(work)).sort((a, b) => a - b);
        assert.deepEqual(
          counts,
          Array.from({ length: 80 }, (_, i) => i + 1),
        );
        assert.equal(await second.authFailures(key, 60_000, now), 80);
      } finally {
        await second.close();
      }
    });
  });
}
