/**
 * The token service over the real SQLite store, through `openServices`: secure and standard
 * mode switching both ways, and no secret in the database files.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { openServices, type Services } from '../app/open-services.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { StartupError } from '../config/startup-error.js';
import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(dataDir: string, secureMode: boolean): Config {
  const loaded = loadConfig({ env: {}, overrides: { dataDir, secureMode } });
  assert.ok(loaded.ok);
  return loaded.config;
}

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-tokens-'));
  dirs.push(dir);
  return dir;
}

/** Every file of the data directory (database, WAL, shared memory, key), concatenated. */
function dataDirBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name))));
}

function assertNotInFiles(dataDir: string, secret: string): void {
  const bytes = dataDirBytes(dataDir);
  assert.ok(bytes.length > 0);
  const plain = Buffer.from(secret, 'utf8');
  const needles = {
    utf8: plain,
    utf16le: Buffer.from(secret, 'utf16le'),
    base64: Buffer.from(plain.toString('base64')),
    hex: Buffer.from(plain.toString('hex')),
  };
  for (const [encoding, needle] of Object.entries(needles)) {
    assert.equal(bytes.includes(needle), false, `the secret is in the data directory (${encoding})`);
  }
}

async function withServices<T>(
  dataDir: string,
  secureMode: boolean,
  work: (s: Services, admin: User) => Promise<T>,
  env = {},
): Promise<T> {
  const services = await openServices(config(dataDir, secureMode), { env });
  try {
    const admin = (await services.users.find('root')) ?? (await services.users.add({ username: 'root', admin: true }));
    return await work(services, admin);
  } finally {
    await services.close();
  }
}

const isConflict = (pattern: RegExp) => (err: unknown) =>
  err instanceof HttpError && err.status === 409 && pattern.test(err.message);

test('standard mode: the secret is kept encrypted, never in plaintext in the database files', async () => {
  const dataDir = newDataDir();
  const custom = `custom-${randomBytes(12).toString('hex')}`;
  await withServices(dataDir, false, async (services, admin) => {
    const generated = await services.tokens.create({ label: 'generated' }, admin);
    const chosen = await services.tokens.create({ label: 'chosen', token: custom }, admin);
    assert.match(generated.record.secretCiphertext ?? '', /^v1\./);
    assertNotInFiles(dataDir, generated.secret);
    assertNotInFiles(dataDir, custom);
    assert.equal(await services.tokens.reveal(chosen.record.id, admin), custom);
    assert.equal((await services.store.findTokenByDigest(services.digest(generated.secret)))?.id, generated.record.id);
    assertNotInFiles(dataDir, generated.secret);
  });
  assertNotInFiles(dataDir, custom);
});

test('secure mode: only the digest is kept; the secret appears in no file', async () => {
  const dataDir = newDataDir();
  await withServices(dataDir, true, async (services, admin) => {
    const { record, secret } = await services.tokens.create({ label: 'secure' }, admin);
    assert.equal(record.secretCiphertext, null);
    assertNotInFiles(dataDir, secret);
    assert.equal((await services.store.findTokenById(record.id))?.secretCiphertext, null);
    await assert.rejects(services.tokens.reveal(record.id, admin), isConflict(/^secure mode/));
    assert.equal((await services.store.findTokenByDigest(services.digest(secret)))?.id, record.id);
  });
});

test('standard → secure → standard: secrets are discarded once, tokens stay valid, old ones stay unshowable', async () => {
  const dataDir = newDataDir();
  const before = await withServices(dataDir, false, (services, admin) =>
    services.tokens.create({ label: 'before' }, admin),
  );
  await withServices(dataDir, true, async (services, admin) => {
    assert.equal(services.secureModeOutcome?.wiped, 1);
    const stored = await services.store.findTokenByDigest(services.digest(before.secret));
    assert.equal(stored?.id, before.record.id, 'the token still authenticates');
    assert.equal(stored?.secretCiphertext, null);
    await assert.rejects(services.tokens.reveal(before.record.id, admin), isConflict(/^secure mode/));
  });
  await withServices(dataDir, false, async (services, admin) => {
    assert.deepEqual(services.secureModeOutcome, { previous: true, wiped: 0 });
    await assert.rejects(services.tokens.reveal(before.record.id, admin), isConflict(/not kept/));
    assert.equal(
      'token' in
        services.tokens.toPublicView(await services.tokens.get(before.record.id, admin), { includeSecret: true }),
      false,
    );
    const after = await services.tokens.create({ label: 'after' }, admin);
    assert.equal(await services.tokens.reveal(after.record.id, admin), after.secret);
    assert.equal((await services.store.findTokenByDigest(services.digest(before.secret)))?.id, before.record.id);
  });
});

test('a node with another encryption key than the one that sealed kept secrets refuses to start', async () => {
  const dataDir = newDataDir();
  const first = { TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  await withServices(dataDir, false, (services, admin) => services.tokens.create({ label: 'sealed' }, admin), first);
  await assert.rejects(
    openServices(config(dataDir, false), { env: { TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') } }),
    (err: unknown) =>
      err instanceof StartupError && /use the same TOKENGATE_ENCRYPTION_KEY on every node/.test(err.message),
  );
  // The same key works, and so does secure mode (which keeps no secret).
  await withServices(dataDir, false, async () => {}, first);
});

test('a CLI tool on a database in secure mode keeps no secret even when its own configuration says standard', async () => {
  const dataDir = newDataDir();
  await withServices(dataDir, true, async () => {});
  const tool = await openServices(config(dataDir, false), { role: 'tool', env: {} });
  try {
    assert.equal(tool.config.secureMode, true);
    const admin = await tool.users.get('root');
    const { record, secret } = await tool.tokens.create({ label: 'from the cli' }, admin);
    assert.equal(record.secretCiphertext, null);
    assertNotInFiles(dataDir, secret);
  } finally {
    await tool.close();
  }
});

test('a disabled user cannot get new tokens; enabling again allows it', async () => {
  const dataDir = newDataDir();
  await withServices(dataDir, false, async (services, admin) => {
    await services.users.add({ username: 'dora' });
    await services.users.disable('dora');
    assert.equal((await services.store.findUser('dora'))?.active, false);
    await assert.rejects(
      services.tokens.create({ label: 'x', userName: 'dora' }, admin),
      (err: unknown) => err instanceof HttpError && err.status === 400,
    );
    await services.users.enable('dora');
    assert.equal((await services.tokens.create({ label: 'x', userName: 'DORA' }, admin)).record.user, 'dora');
  });
});
