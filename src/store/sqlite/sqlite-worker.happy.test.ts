import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { countAudit } from '../../audit/audit.test-helpers.js';
import { audit } from '../contract/contract-context.js';
import type { Database } from '../database.js';
import { openStore } from '../open-store.js';
import { LockingSqliteDialect } from './locking-sqlite-dialect.js';

/** A statement that keeps SQLite busy for a while (a recursive count to `n`). */
const slow = (n: number) =>
  sql<{
    n: number;
  }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n}) select count(*) as n from c`;

describe('SQLite runs in a worker thread, off the request thread', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokengate-worker-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the event loop keeps turning while a long statement runs', async () => {
    const db = new Kysely<Database>({
      dialect: new LockingSqliteDialect(join(root, 'loop.db'), { failed: false }),
    });
    try {
      await sql`select 1`.execute(db);
      let turns = 0;
      let running = true;
      const spin = (): void => {
        turns += 1;
        if (running) setImmediate(spin);
      };
      setImmediate(spin);
      const started = Date.now();
      const { rows } = await slow(3_000_000).execute(db);
      running = false;
      const took = Date.now() - started;
      assert.equal(rows[0]?.n, 3_000_000);
      // on the request thread the loop would not turn once while SQLite counts
      assert.ok(took >= 20, `the statement took ${took} ms: too short to show anything`);
      assert.ok(turns > 10, `the loop turned ${turns} times in ${took} ms`);
    } finally {
      await db.destroy();
    }
  });

  test('close drains every write posted before it: nothing is lost across the thread boundary', async () => {
    const dataDir = join(root, 'drain');
    const store = await openStore({ dataDir, databaseUrl: null });
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      writes.push(store.insertAudit(Array.from({ length: 100 }, (_, j) => audit({ path: `/drain/${i}/${j}` }))));
    }
    const closed = store.close();
    await Promise.all(writes);
    await closed;
    const again = await openStore({ dataDir, databaseUrl: null });
    try {
      assert.equal(await countAudit(again), 5000);
    } finally {
      await again.close();
    }
  });

  test('statements run in the order they were posted, results come back to the right caller', async () => {
    const store = await openStore({ dataDir: join(root, 'order'), databaseUrl: null });
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((k) => store.setMeta(k, `v-${k}`)));
      const values = await Promise.all(keys.map((k) => store.getMeta(k)));
      assert.deepEqual(
        values,
        keys.map((k) => `v-${k}`),
      );
    } finally {
      await store.close();
    }
  });
});
