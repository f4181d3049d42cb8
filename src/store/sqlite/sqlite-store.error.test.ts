import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { StartupError } from '../../config/startup-error.js';
import { openStore } from '../open-store.js';

describe('SQLite store: opening errors an operator understands', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokengate-open-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a missing data directory is created with mode 0700', async () => {
    const dir = join(root, 'new', 'data');
    const store = await openStore({ dataDir: dir, databaseUrl: null });
    await store.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(statSync(join(dir, 'tokengate.db')).isFile());
  });

  test('a corrupt database file (not SQLite) is refused with a clear message', async () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tokengate.db'), Buffer.alloc(8192, 'this is not a database. '));
    await assert.rejects(openStore({ dataDir: dir, databaseUrl: null }), (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /tokengate\.db is corrupt or not a SQLite database/);
      assert.match(err.message, /backup/);
      return true;
    });
  });

  test('a data directory that cannot be created (under a regular file) is refused clearly', async () => {
    const file = join(root, 'x-file');
    writeFileSync(file, 'a file, not a directory');
    await assert.rejects(openStore({ dataDir: join(file, 'data'), databaseUrl: null }), (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /data directory .*x-file\/data cannot be created/);
      assert.match(err.message, /not a directory/);
      return true;
    });
  });

  test('a data directory that is a file is refused clearly', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    await assert.rejects(openStore({ dataDir: file, databaseUrl: null }), (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /plain-file/);
      return true;
    });
  });

  test('a database path that is a directory is refused clearly', async () => {
    const dir = join(root, 'dir-db');
    mkdirSync(join(dir, 'tokengate.db'), { recursive: true });
    await assert.rejects(openStore({ dataDir: dir, databaseUrl: null }), (err: unknown) => {
      assert.ok(err instanceof StartupError);
      assert.match(err.message, /tokengate\.db cannot be opened/);
      return true;
    });
  });

  test('reopening a closed store keeps the data; close is idempotent', async () => {
    const dir = join(root, 'reopen');
    const first = await openStore({ dataDir: dir, databaseUrl: null });
    await first.setMeta('k', 'v');
    await first.close();
    await first.close();
    const second = await openStore({ dataDir: dir, databaseUrl: null });
    assert.equal(await second.getMeta('k'), 'v');
    await second.close();
  });
});
