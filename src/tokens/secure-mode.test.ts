import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StartupError } from '../config/startup-error.js';
import { MemoryStore, tokenRecord } from './memory-store.test-helpers.js';
import { applySecureModeAtStartup, recordedSecureMode } from './secure-mode.js';

test('first start records the mode', async () => {
  const store = new MemoryStore();
  assert.equal(await recordedSecureMode(store), null);
  assert.deepEqual(await applySecureModeAtStartup(store, false), { previous: null, wiped: 0 });
  assert.equal(await recordedSecureMode(store), false);
});

test('turning secure mode on discards every kept secret; the tokens stay', async () => {
  const store = new MemoryStore();
  await applySecureModeAtStartup(store, false);
  await store.insertToken(tokenRecord('a', 'v1.x'));
  await store.insertToken(tokenRecord('b', 'v1.y'));
  await store.insertToken(tokenRecord('c', null));
  assert.deepEqual(await applySecureModeAtStartup(store, true), { previous: false, wiped: 2 });
  assert.equal(store.tokens.size, 3);
  assert.ok([...store.tokens.values()].every((t) => t.secretCiphertext === null));
  assert.equal(await recordedSecureMode(store), true);
  assert.deepEqual(await applySecureModeAtStartup(store, true), { previous: true, wiped: 0 });
});

test('back to standard mode: old tokens stay unshowable', async () => {
  const store = new MemoryStore();
  await store.insertToken(tokenRecord('a', 'v1.x'));
  await applySecureModeAtStartup(store, true);
  assert.deepEqual(await applySecureModeAtStartup(store, false), { previous: true, wiped: 0 });
  assert.equal(store.tokens.get('a')?.secretCiphertext, null);
  assert.equal(await recordedSecureMode(store), false);
});

test('a node refuses to start in another mode than a live node; stale and own heartbeats do not count', async () => {
  const store = new MemoryStore();
  const now = 1_000_000;
  await store.heartbeat('node-a', true, now - 5_000);
  await store.heartbeat('node-old', false, now - 120_000);
  await assert.rejects(
    applySecureModeAtStartup(store, false, { nodeId: 'node-b', now: () => now }),
    (err: unknown) => err instanceof StartupError && /node "node-a" runs in secure mode/.test(err.message),
  );
  await applySecureModeAtStartup(store, true, { nodeId: 'node-b', now: () => now });
  await store.heartbeat('node-b', false, now);
  await applySecureModeAtStartup(store, false, { nodeId: 'node-b', now: () => now + 60_000 });
});
