import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import { isDatabaseUnavailable } from '../unavailable.js';
import { LockingSqliteDialect } from './locking-sqlite-dialect.js';

function open(file: string): { db: Kysely<Database>; dialect: LockingSqliteDialect } {
  const dialect = new LockingSqliteDialect(file, { failed: false });
  return { db: new Kysely<Database>({ dialect }), dialect };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite worker thread that dies: fail closed', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokengate-worker-death-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a statement in flight fails as "database unavailable" (503); a later one starts a new thread', async () => {
    const { db, dialect } = open(join(root, 'death.db'));
    try {
      await sql`create table t (x integer)`.execute(db);
      const inFlight =
        sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000000) select count(*) from c`.execute(
          db,
        );
      await sleep(20);
      await dialect.driver.thread?.terminate();
      await assert.rejects(inFlight, (err: unknown) => {
        assert.ok(isDatabaseUnavailable(err), String(err));
        assert.match(String(err), /SQLite worker thread has stopped/);
        return true;
      });
      // right after the death: still refused (no restart loop), still a 503
      await assert.rejects(sql`select 1`.execute(db), (err: unknown) => isDatabaseUnavailable(err));
      await sleep(1100);
      await sql`insert into t (x) values (1)`.execute(db);
      const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
      assert.equal(rows[0]?.n, 1);
    } finally {
      await db.destroy();
    }
  });

  test('a transaction whose thread died is never continued on the new thread', async () => {
    const { db, dialect } = open(join(root, 'trx.db'));
    try {
      await sql`create table t (x integer)`.execute(db);
      const outcome = db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        await sql`insert into t (x) values (1)`.execute(conn);
        await dialect.driver.thread?.terminate();
        await sleep(1100);
        // the same connection: must not run in autocommit on a successor thread
        await sql`insert into t (x) values (2)`.execute(conn);
        await sql`commit`.execute(conn);
      });
      await assert.rejects(outcome, (err: unknown) => isDatabaseUnavailable(err));
      const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
      assert.equal(rows[0]?.n, 0, 'the transaction was rolled back as a whole');
    } finally {
      await db.destroy();
    }
  });

  test('a file that cannot be opened fails the first statement with the driver code', async () => {
    const dir = join(root, 'a-directory.db');
    mkdirSync(dir);
    const { db } = open(dir);
    await assert.rejects(sql`select 1`.execute(db), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'SQLITE_CANTOPEN');
      return true;
    });
    await db.destroy();
  });
});
