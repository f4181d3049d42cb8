import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { StartupError } from '../../config/startup-error.js';
import { eventually, token } from '../contract/contract-context.js';
import type { Change } from '../models.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { runStoreContract } from '../store-contract.test-helpers.js';
import { parsePostgresUrl } from './database-url.js';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  urlWithSchema,
  withAdminClient,
} from './postgres-test-db.test-helpers.js';

const skip = await postgresSkipReason();

/** Opens a store on `schema` of the test database. */
function open(schema: string): Promise<Store> {
  return openStore({ dataDir: '/nonexistent-data-dir', databaseUrl: urlWithSchema(schema) });
}

runStoreContract(
  'PostgreSQL store (contract)',
  async () => {
    const schema = freshSchema();
    const store = await open(schema);
    return {
      store,
      reopen: () => open(schema),
      async cleanup() {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
  { skip },
);

describe('PostgreSQL store specifics', { skip }, () => {
  const schemas: string[] = [];
  const fresh = (): string => {
    const s = freshSchema();
    schemas.push(s);
    return s;
  };
  after(async () => {
    if (skip === false) for (const s of schemas) await dropSchema(s);
  });

  test('three stores opening one fresh schema at once all succeed; migrations run once', async () => {
    const schema = fresh();
    const stores = await Promise.all([open(schema), open(schema), open(schema)]);
    try {
      await stores[0]?.setMeta('k', 'v');
      assert.equal(await stores[2]?.getMeta('k'), 'v');
      const rows = await withAdminClient(async (c) => {
        const r = await c.query<{ name: string }>(`select name from ${schema}.kysely_migration order by name`);
        return r.rows.map((x) => x.name);
      });
      assert.deepEqual(rows, [
        '0001-initial',
        '0002-digest-key',
        '0003-list-indexes',
        '0004-upstream-credentials',
        '0005-token-policy',
        '0006-webhook-events',
        '0007-token-search',
        '0008-token-lineage',
        '0009-short-search',
      ]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('tables live in the schema of the URL, not in public', async () => {
    const schema = fresh();
    const store = await open(schema);
    await store.close();
    const tables = await withAdminClient(async (c) => {
      const r = await c.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1 order by table_name',
        [schema],
      );
      return r.rows.map((x) => x.table_name);
    });
    for (const t of ['audit', 'auth_failures', 'changes', 'meta', 'nodes', 'settings', 'tokens', 'users']) {
      assert.ok(tables.includes(t), `${t} in ${schema}`);
    }
  });

  test('NOTIFY delivers changes from another node quickly (well under the 1 s safety-net poll)', async () => {
    const schema = fresh();
    const a = await open(schema);
    const b = await open(schema);
    const seen = new Map<string, number>();
    const stop = a.subscribe((c: Change) => seen.set(c.key, Date.now()));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // LISTEN is connected
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = token();
        await b.insertToken(t);
        const at = Date.now();
        await eventually(() => seen.has(t.digest), 2000, 'token seen');
        latencies.push((seen.get(t.digest) ?? 0) - at);
      }
      latencies.sort((x, y) => x - y);
      assert.ok((latencies[2] ?? 0) < 300, `median ${latencies[2]} ms (${latencies.join(', ')})`);
    } finally {
      stop();
      await a.close();
      await b.close();
    }
  });

  test('the LISTEN connection comes back after it is killed; changes keep arriving', async () => {
    const schema = fresh();
    const a = await open(schema);
    const b = await open(schema);
    const seen = new Set<string>();
    const stop = a.subscribe((c: Change) => seen.add(c.key));
    const listeners = (): Promise<number[]> =>
      withAdminClient(async (c) => {
        const r = await c.query<{ pid: number }>(
          "select pid from pg_stat_activity where application_name = $1 and query like 'LISTEN%'",
          [`tokengate/${schema}`],
        );
        return r.rows.map((x) => x.pid);
      });
    try {
      let pids: number[] = [];
      const started = Date.now();
      while (pids.length === 0 && Date.now() - started < 3000) {
        pids = await listeners();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(pids.length, 1, 'one LISTEN connection');
      await withAdminClient((c) => c.query('select pg_terminate_backend($1)', [pids[0]]));
      const t = token();
      await b.insertToken(t);
      await eventually(() => seen.has(t.digest), 1500, 'change after the kill');
      let again: number[] = [];
      const restarted = Date.now();
      while (Date.now() - restarted < 5000) {
        again = await listeners();
        if (again.length === 1 && again[0] !== pids[0]) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(again.length, 1, 'reconnected');
      assert.notEqual(again[0], pids[0]);
      const u = token();
      await b.insertToken(u);
      await eventually(() => seen.has(u.digest), 1000, 'change after the reconnect');
    } finally {
      stop();
      await a.close();
      await b.close();
    }
  });

  test('close() ends the LISTEN connection and the pool', async () => {
    const schema = fresh();
    const a = await open(schema);
    const stop = a.subscribe(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    await a.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const count = await withAdminClient(async (c) => {
      const r = await c.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where application_name = $1',
        [`tokengate/${schema}`],
      );
      return r.rows[0]?.n;
    });
    assert.equal(count, 0);
  });

  test('an unreachable server is a StartupError that names it (without the password)', async () => {
    await assert.rejects(
      openStore({ dataDir: '/x', databaseUrl: 'postgres://someone:s3cret@127.0.0.1:1/tokengate' }),
      (err: unknown) => {
        assert.ok(err instanceof StartupError);
        assert.match(err.message, /PostgreSQL at 127\.0\.0\.1:1\/tokengate is unreachable/);
        assert.doesNotMatch(err.message, /s3cret/);
        return true;
      },
    );
  });
});

describe('PostgreSQL database URL', () => {
  test('?schema= is taken out; other parameters stay for the driver', () => {
    const t = parsePostgresUrl('postgresql://u:p%40ss@db.example:6543/tg?schema=tg_a&sslmode=require');
    assert.equal(t.schema, 'tg_a');
    assert.equal(t.connectionString, 'postgresql://u:p%40ss@db.example:6543/tg?sslmode=require');
    assert.equal(t.description, 'db.example:6543/tg');
  });

  test('no schema means the server default; a bad schema name is refused', () => {
    assert.equal(parsePostgresUrl('postgres://db/tg').schema, undefined);
    assert.equal(parsePostgresUrl('postgres://db/tg').description, 'db:5432/tg');
    assert.throws(() => parsePostgresUrl('postgres://db/tg?schema=a;drop'), StartupError);
    assert.throws(() => parsePostgresUrl('postgres://db/tg?schema=1abc'), StartupError);
  });
});
