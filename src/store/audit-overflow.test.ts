import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { tempDir } from '../testing/processes.js';
import { auditChunks, auditIdBoundsQuery } from './audit-overflow.js';
import { audit } from './contract/contract-context.js';
import type { Database } from './database.js';
import type { KyselyStore } from './kysely-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

describe('auditChunks (statement sizes of an audit batch)', () => {
  test('every batch size is covered once, in order, by power-of-two statements of at most the largest', () => {
    const sizes = new Set<number>();
    for (let count = 0; count <= 1000; count++) {
      let next = 0;
      for (const [start, rows] of auditChunks(count, 128)) {
        assert.equal(start, next, `count ${count}: contiguous`);
        assert.ok(rows >= 1 && rows <= 128 && (rows & (rows - 1)) === 0, `count ${count}: ${rows} rows`);
        sizes.add(rows);
        next += rows;
      }
      assert.equal(next, count);
    }
    // one prepared statement per size, whatever the batch sizes (before: one per batch size)
    assert.deepEqual(
      [...sizes].sort((a, b) => a - b),
      [1, 2, 4, 8, 16, 32, 64, 128],
    );
  });

  test('a largest size that is not a power of two is rounded down', () => {
    assert.deepEqual(auditChunks(7, 3), [
      [0, 2],
      [2, 2],
      [4, 2],
      [6, 1],
    ]);
  });
});

describe('auditIdBoundsQuery on SQLite (run before every audit batch when audit.maxRows is set)', () => {
  const dir = tempDir('tokengate-bounds-');
  const file = join(dir.path, 'tokengate.db');
  let store: KyselyStore;
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

  before(async () => {
    store = await openSqliteStore(file);
  });
  after(async () => {
    await store.close();
    dir.remove();
  });

  test('reads one end of the id index for each bound, never scanning the table', async () => {
    await store.insertAudit(Array.from({ length: 50 }, (_, i) => audit({ time: i })));
    const { sql } = auditIdBoundsQuery(compiler).compile();
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const plan = raw.prepare(`explain query plan ${sql}`).all() as { detail: string }[];
      const details = plan.map((row) => row.detail);
      assert.ok(details.length > 0);
      // min() and max() in one select planned as "SCAN audit USING COVERING INDEX audit_time"
      assert.deepEqual(
        details.filter((detail) => /\bSCAN audit\b/.test(detail)),
        [],
        details.join(' / '),
      );
      const bounds = raw.prepare(sql).get() as { oldest: number; newest: number };
      const all = raw.prepare('select min(id) as lo, max(id) as hi, count(*) as n from audit').get() as {
        lo: number;
        hi: number;
        n: number;
      };
      assert.equal(all.n, 50);
      assert.deepEqual(bounds, { oldest: all.lo, newest: all.hi });
    } finally {
      raw.close();
    }
  });
});
