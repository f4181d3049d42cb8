import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { openSession, sealSession } from './session-codec.js';
import { SESSION_KEY_META, SessionKeyring } from './session-key.js';

function metaStore() {
  const meta = new Map<string, string>();
  return {
    meta,
    getMeta: async (key: string) => meta.get(key),
    setMeta: async (key: string, value: string) => {
      meta.set(key, value);
    },
  };
}

const DATA = { username: 'a', issuedAt: 1, lastSeen: 1, csrf: 'c', passwordTag: 't', epoch: 0 };

describe('session keyring', () => {
  test('generates the key once and keeps it in the store for every node', async () => {
    const store = metaStore();
    const first = await new SessionKeyring(store, () => 0).current();
    assert.equal(first.length, 32);
    assert.equal(store.meta.get(SESSION_KEY_META), first.toString('base64'));
    const other = await new SessionKeyring(store, () => 0).current();
    assert.ok(other.equals(first));
  });

  test('two nodes racing on a new database converge on the stored key, without losing cookies', async () => {
    const store = metaStore();
    let now = 10_000;
    const a = new SessionKeyring(store, () => now);
    const keyA = await a.current();
    store.meta.set(SESSION_KEY_META, randomBytes(32).toString('base64')); // node B wrote its own
    const keyB = Buffer.from(store.meta.get(SESSION_KEY_META) ?? '', 'base64');
    const fromB = sealSession(keyB, DATA);
    assert.equal(openSession(keyA, fromB), null);
    assert.equal(await a.reload(), true);
    assert.ok((await a.current()).equals(keyB));
    const candidates = await a.candidates();
    assert.equal(candidates.length, 2);
    assert.ok(candidates[1]?.equals(keyA), 'old cookies still open');
    now += 100;
    assert.equal(await a.reload(), false, 'rate-limited');
  });
});
