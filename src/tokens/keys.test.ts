import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { StartupError } from '../config/startup-error.js';
import { parseKey } from './key-encoding.js';
import { loadKeys, sealCondition } from './keys.js';
import { MemoryStore, tokenRecord } from './memory-store.test-helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-keys-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('first start: encryption.key created with mode 0600, digest key kept in the store meta; later starts reuse both', async () => {
  const dataDir = join(tempDir(), 'nested', 'data');
  const store = new MemoryStore();
  const first = await loadKeys({ dataDir, store, env: {}, secureMode: false });
  const file = join(dataDir, 'encryption.key');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(parseKey(readFileSync(file, 'utf8')), first.encryptionKey);
  assert.deepEqual(parseKey(store.meta.get('digestKey') ?? ''), first.digestKey);
  assert.ok(store.meta.has('digestKeyCheck') && store.meta.has('encryptionKeyCheck'));
  const again = await loadKeys({ dataDir, store, env: {}, secureMode: false });
  assert.deepEqual(again, first);
  assert.notDeepEqual(first.digestKey, first.encryptionKey);
});

test('processes starting at once on a fresh data directory agree on the keys', async () => {
  const dataDir = tempDir();
  const store = new MemoryStore();
  const results = await Promise.all(
    Array.from({ length: 5 }, () => loadKeys({ dataDir, store, env: {}, secureMode: false })),
  );
  for (const keys of results) assert.deepEqual(keys, results[0]);
});

test('keys from the environment (base64 or hex) win and are never written anywhere', async () => {
  const dataDir = tempDir();
  const store = new MemoryStore();
  const digestKey = randomBytes(32);
  const encryptionKey = randomBytes(32);
  const keys = await loadKeys({
    dataDir,
    store,
    env: {
      TOKENGATE_DIGEST_KEY: digestKey.toString('hex'),
      TOKENGATE_ENCRYPTION_KEY: encryptionKey.toString('base64'),
    },
    secureMode: false,
  });
  assert.deepEqual(keys, { digestKey, encryptionKey });
  assert.equal(store.meta.has('digestKey'), false);
  assert.throws(() => statSync(join(dataDir, 'encryption.key')), /ENOENT/);
});

test('a malformed key in the environment is refused with a clear message', async () => {
  for (const value of ['too-short', randomBytes(16).toString('base64'), randomBytes(31).toString('hex')]) {
    await assert.rejects(
      loadKeys({
        dataDir: tempDir(),
        store: new MemoryStore(),
        env: { TOKENGATE_ENCRYPTION_KEY: value },
        secureMode: false,
      }),
      (err: unknown) =>
        err instanceof StartupError &&
        /TOKENGATE_ENCRYPTION_KEY must be a 32-byte key/.test(err.message) &&
        !err.message.includes(value),
    );
  }
});

test('an encryption.key readable by group or others is refused', { skip: process.platform === 'win32' }, async () => {
  const dataDir = tempDir();
  const file = join(dataDir, 'encryption.key');
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o644);
  await assert.rejects(loadKeys({ dataDir, store: new MemoryStore(), env: {}, secureMode: false }), (err: unknown) => {
    return err instanceof StartupError && /accessible by group or others \(mode 0644\).*chmod 600/.test(err.message);
  });
});

test('standard mode with another encryption key than the one that sealed kept secrets is refused', async () => {
  const store = new MemoryStore();
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false });
  await store.insertToken(tokenRecord('t1', 'v1.sealed'));
  await assert.rejects(loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false }), (err: unknown) => {
    return err instanceof StartupError && /use the same TOKENGATE_ENCRYPTION_KEY on every node/.test(err.message);
  });
  // Secure mode keeps no secret: another encryption key does not matter there.
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: true });
});

test('another encryption key is accepted (and recorded) when no secret is kept', async () => {
  const store = new MemoryStore();
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false });
  await store.insertToken(tokenRecord('t1', null));
  const before = store.meta.get('encryptionKeyCheck');
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false });
  assert.notEqual(store.meta.get('encryptionKeyCheck'), before);
});

test('another digest key than the one that made existing tokens is refused', async () => {
  const store = new MemoryStore();
  const dataDir = tempDir();
  await loadKeys({ dataDir, store, env: {}, secureMode: false });
  await store.insertToken(tokenRecord('t1', null));
  await assert.rejects(
    loadKeys({ dataDir, store, env: { TOKENGATE_DIGEST_KEY: randomBytes(32).toString('base64') }, secureMode: false }),
    /made with another digest key: start every node with the same TOKENGATE_DIGEST_KEY/,
  );
});

test('upstream credentials are sealed in both modes: another encryption key is refused in secure mode too', async () => {
  const store = new MemoryStore();
  await store.createUser({ username: 'alice' });
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: true });
  await store.setUpstreamCredential('alice', { type: 'bearer', sealed: 'v1.sealed', dateSet: 1 });
  await assert.rejects(loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: true }), (err: unknown) => {
    return (
      err instanceof StartupError && /upstream credentials.*use the same TOKENGATE_ENCRYPTION_KEY/.test(err.message)
    );
  });
  await assert.rejects(loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false }), StartupError);
});

test('a tool (CLI) without the key of a database that records one refuses before writing anything', async () => {
  const store = new MemoryStore();
  await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false });
  const before = new Map(store.meta);
  const cliDir = tempDir();
  await assert.rejects(
    loadKeys({ dataDir: cliDir, store, env: {}, secureMode: false, role: 'tool' }),
    (err: unknown) =>
      err instanceof StartupError &&
      /already records an encryption key.*TOKENGATE_ENCRYPTION_KEY.*nothing was written/.test(err.message),
  );
  assert.throws(() => statSync(join(cliDir, 'encryption.key')), /ENOENT/);
  assert.deepEqual(store.meta, before);
  // with another key given explicitly, the tool refuses too (it never replaces the recorded key)
  await assert.rejects(
    loadKeys({
      dataDir: cliDir,
      store,
      env: { TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      secureMode: false,
      role: 'tool',
    }),
    /encrypted with another key/,
  );
  assert.deepEqual(store.meta, before);
});

test('a sealed secret is written only while the database records this key', async () => {
  const store = new MemoryStore();
  const first = await loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false });
  await store.insertToken(tokenRecord('t1', 'sealed'), sealCondition(first.encryptionKey));
  // another node (no secret kept by it yet… but there is one now) cannot replace the key
  await assert.rejects(
    loadKeys({ dataDir: tempDir(), store, env: {}, secureMode: false }),
    /encrypted with another key/,
  );
  const other = randomBytes(32);
  await assert.rejects(store.insertToken(tokenRecord('t2', 'sealed'), sealCondition(other)), /nothing was written/);
  assert.equal(store.tokens.has('t2'), false);
});
