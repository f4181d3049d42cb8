import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenRecord } from '../store/models.js';
import type { Store } from '../store/store.js';
import { tokenRecord } from '../tokens/memory-store.test-helpers.js';
import { AuthCache } from './auth-cache.js';

/** A store whose token lookups wait until the test lets them answer. */
function slowStore(tokens: Map<string, TokenRecord>) {
  const waiting: (() => void)[] = [];
  let lookups = 0;
  const store = {
    async findTokenByDigest(digest: string) {
      lookups++;
      const answer = tokens.get(digest);
      await new Promise<void>((resolve) => waiting.push(resolve));
      return answer;
    },
  } as unknown as Store;
  return {
    store,
    lookups: () => lookups,
    answerAll: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

test('a token deleted while its lookup is in flight is not cached afterwards', async () => {
  const tokens = new Map([['d1', tokenRecord('t1', null)]]);
  const slow = slowStore(tokens);
  const cache = new AuthCache({ store: slow.store, maxEntries: 10 });
  const inFlight = cache.token('d1');
  // the deletion commits and reaches this process before the lookup answers (with the old row)
  tokens.delete('d1');
  cache.apply({ seq: 1, kind: 'token', key: 'd1' });
  slow.answerAll();
  assert.equal((await inFlight)?.record.id, 't1', 'the lookup that started before the deletion may still answer');
  const next = cache.token('d1');
  slow.answerAll();
  assert.equal(await next, undefined, 'the next call goes to the store and finds nothing');
  assert.equal(slow.lookups(), 2);
});

test('cached tokens are answered without the store; unknown digests are never cached', async () => {
  const tokens = new Map([['d1', tokenRecord('t1', null)]]);
  const slow = slowStore(tokens);
  const cache = new AuthCache({ store: slow.store, maxEntries: 10 });
  const first = cache.token('d1');
  slow.answerAll();
  await first;
  assert.equal((await cache.token('d1'))?.record.id, 't1');
  const unknown = cache.token('nope');
  slow.answerAll();
  assert.equal(await unknown, undefined);
  const again = cache.token('nope');
  slow.answerAll();
  assert.equal(await again, undefined);
  assert.equal(slow.lookups(), 3);
  assert.deepEqual(cache.stats(), { tokens: 1, users: 0, hits: 1, misses: 3 });
});

test('tokens with the same rules share one parsed rule set; stored rules that do not parse fail closed', async () => {
  const rules = '[GET].*/rest/api/space.*\n[POST].*/rest/api/content';
  const tokens = new Map([
    ['d1', { ...tokenRecord('t1', null), limitTo: rules }],
    ['d2', { ...tokenRecord('t2', null), limitTo: rules }],
    ['d3', { ...tokenRecord('t3', null), limitTo: '[GET](unclosed' }],
  ]);
  const slow = slowStore(tokens);
  const cache = new AuthCache({ store: slow.store, maxEntries: 10 });
  const lookup = async (digest: string) => {
    const pending = cache.token(digest);
    slow.answerAll();
    return pending;
  };
  const one = await lookup('d1');
  const two = await lookup('d2');
  assert.ok(one !== undefined && two !== undefined);
  assert.equal(one.ruleSet, two.ruleSet);
  await assert.rejects(lookup('d3'), /stored rules of token t3 do not parse/);
});
