import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { token } from './contract/contract-context.js';
import type { KyselyStore } from './kysely-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

describe('KyselyStore.maintain (housekeeping)', () => {
  let dir: string;
  let store: KyselyStore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokengate-maint-'));
    store = await openSqliteStore(join(dir, 'tokengate.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('old change rows beyond the kept number are deleted; recent ones stay', async () => {
    for (let i = 0; i < 30; i++) await store.insertToken(token());
    const last = await store.currentChangeSeq();
    await store.maintain(Date.now());
    assert.equal((await store.changesAfter(0, 100)).length, 30, 'young rows are kept by default');
    await store.maintain(Date.now() + 60_000, { changesMs: 0, changesRows: 10 });
    const left = await store.changesAfter(0, 100);
    assert.deepEqual(
      left.map((c) => c.seq),
      Array.from({ length: 10 }, (_, i) => last - 9 + i),
    );
    assert.equal(await store.currentChangeSeq(), last);
  });

  test('auth-failure windows long over are deleted; the current one stays', async () => {
    const t0 = 1_900_000_000_000;
    await store.recordAuthFailure('10.1.1.1', 60_000, t0);
    await store.recordAuthFailure('10.1.1.2', 60_000, t0 + 300_000);
    await store.maintain(t0 + 300_000);
    assert.equal(await store.authFailures('10.1.1.1', 60_000, t0), 0);
    assert.equal(await store.authFailures('10.1.1.2', 60_000, t0 + 300_000), 1);
  });
});
