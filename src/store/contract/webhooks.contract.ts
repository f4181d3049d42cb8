import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewWebhookEvent } from '../models.js';
import { type ContractContext, token, unique } from './contract-context.js';

const T0 = 1_900_000_000_000;

function event(key: string, tokenId: string, type = 'token.created'): NewWebhookEvent {
  return { key, type, tokenId, body: JSON.stringify({ key, type }), createdAt: T0 };
}

/** The webhook outbox: unique event keys, idempotent fan-out, leases no two instances share. */
export function webhooksContract(ctx: ContractContext): void {
  describe('webhook outbox', () => {
    test('an event key is recorded once, whoever records it', async () => {
      const key = unique('key-');
      const second = await ctx.reopen();
      try {
        const counts = await Promise.all([
          ctx.store.insertWebhookEvents([event(key, 't')]),
          second.insertWebhookEvents([event(key, 't')]),
        ]);
        assert.deepEqual(counts.sort(), [0, 1]);
      } finally {
        await second.close();
      }
    });

    test('fan-out is idempotent, filters types, and two instances never claim the same delivery', async () => {
      const receiver = `http://receiver.example/${unique('r')}`;
      // a receiver new to the database starts after the events created before `firstSince`
      await ctx.store.insertWebhookEvents([event(unique('old-'), 't')]);
      await ctx.store.fanOutWebhookEvents(receiver, null, T0, T0 + 1, 100);
      const keys = Array.from({ length: 10 }, () => unique('ev-'));
      await ctx.store.insertWebhookEvents(
        keys.map((k, i) => event(k, 't', i % 2 === 0 ? 'token.created' : 'token.deleted')),
      );
      await ctx.store.insertWebhookEvents([event(unique('other-'), 't', 'token.expired')]);
      const second = await ctx.reopen();
      try {
        const types = ['token.created', 'token.deleted'];
        await Promise.all([
          ctx.store.fanOutWebhookEvents(receiver, types, T0, T0 + 1, 100),
          second.fanOutWebhookEvents(receiver, types, T0, T0 + 1, 100),
        ]);
        const [a, b] = await Promise.all([
          ctx.store.claimWebhookDeliveries([receiver], 'node-a', T0, 60_000, 7),
          second.claimWebhookDeliveries([receiver], 'node-b', T0, 60_000, 7),
        ]);
        const claimed = [...(a ?? []), ...(b ?? [])];
        assert.equal(claimed.length, 10, 'ten deliveries (the expired event is not wanted, the old one predates it)');
        assert.equal(new Set(claimed.map((c) => c.id)).size, 10, 'no delivery claimed twice');
        assert.deepEqual(new Set(claimed.map((c) => JSON.parse(c.body).key)), new Set(keys));
        assert.deepEqual(await ctx.store.claimWebhookDeliveries([receiver], 'node-a', T0 + 1, 60_000, 20), []);

        // a failure is retried at its time; a delivery is done for good
        const [first, other] = claimed;
        assert.ok(first && other);
        const owner = (a ?? []).some((c) => c.id === first.id) ? 'node-a' : 'node-b';
        await ctx.store.finishWebhookDelivery(
          first.id,
          owner,
          { delivered: false, error: 'HTTP 500', retryAt: T0 + 5 },
          T0,
        );
        assert.deepEqual(await ctx.store.claimWebhookDeliveries([receiver], 'node-c', T0 + 4, 60_000, 20), []);
        const retried = await ctx.store.claimWebhookDeliveries([receiver], 'node-c', T0 + 5, 60_000, 20);
        assert.deepEqual(
          retried.map((c) => [c.id, c.attempts]),
          [[first.id, 2]],
        );
        await ctx.store.finishWebhookDelivery(first.id, 'node-c', { delivered: true }, T0 + 6);
        // after the lease ran out, every other delivery is due again (at least once), the delivered one never
        const again = await ctx.store.claimWebhookDeliveries([receiver], 'node-d', T0 + 70_000, 60_000, 20);
        assert.equal(again.length, 9);
        assert.ok(!again.some((c) => c.id === first.id));
      } finally {
        await second.close();
      }
    });

    test('the expiry scan queries find tokens at a mark and expired ones, until their event exists', async () => {
      const day = 86_400_000;
      const soon = token({ dateCreated: T0 - 10 * day, validUntil: T0 + day / 2 });
      const fresh = token({ dateCreated: T0 - day / 4, validUntil: T0 + day / 2 });
      const gone = token({ dateCreated: T0 - 10 * day, validUntil: T0 - 1000 });
      for (const t of [soon, fresh, gone]) await ctx.store.insertToken(t);
      const atMark = await ctx.store.tokensAtExpiringMark(T0, day, '1', 1000);
      assert.ok(atMark.some((t) => t.id === soon.id));
      assert.ok(!atMark.some((t) => t.id === fresh.id), 'created inside the mark');
      await ctx.store.insertWebhookEvents([event(`${soon.id}|token.expiring|1`, soon.id, 'token.expiring')]);
      assert.ok(!(await ctx.store.tokensAtExpiringMark(T0, day, '1', 1000)).some((t) => t.id === soon.id));
      const expired = await ctx.store.tokensExpiredSince(T0, T0 - day, 1000);
      assert.ok(expired.some((t) => t.id === gone.id));
      await ctx.store.insertWebhookEvents([event(`${gone.id}|token.expired`, gone.id, 'token.expired')]);
      assert.ok(!(await ctx.store.tokensExpiredSince(T0, T0 - day, 1000)).some((t) => t.id === gone.id));
    });

    test('a (token, address) pair is new once, across instances', async () => {
      const id = unique('tok_');
      const seen = (n: number) => [{ tokenId: id, address: '127.0.0.2', event: event(unique(`addr${n}-`), id) }];
      const second = await ctx.reopen();
      try {
        const counts = await Promise.all([
          ctx.store.recordTokenAddresses(seen(1), T0),
          second.recordTokenAddresses(seen(2), T0),
        ]);
        assert.deepEqual(counts.sort(), [0, 1]);
      } finally {
        await second.close();
      }
    });
  });
}
