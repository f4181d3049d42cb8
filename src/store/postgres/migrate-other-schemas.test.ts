/**
 * Migrating while other schemas of the same PostgreSQL database are dropped (other applications,
 * other tests): Kysely looks for its tables in every schema, and a schema dropped during that
 * look-up failed the whole start with "schema … does not exist" (seen in CI). tokengate's
 * introspector reads only its own schema.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { openPostgresStore } from './open-postgres-store.js';
import { OwnSchemaIntrospector, OwnSchemaPostgresDialect } from './own-schema-introspector.js';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  TEST_DATABASE_URL,
  urlWithSchema,
  withAdminClient,
} from './postgres-test-db.test-helpers.js';

const skip = await postgresSkipReason();

/** Makes and drops schemas with tables, on two connections of their own, until `stop()`. */
function churnOtherSchemas(): { stop: () => Promise<number> } {
  let running = true;
  let churned = 0;
  const churners = [1, 2].map(() =>
    withAdminClient(async (c) => {
      while (running) {
        const name = freshSchema();
        await c.query(
          `create schema ${name}; create table ${name}.a (id serial, v text); create table ${name}.b (id int)`,
        );
        await c.query(`drop schema ${name} cascade`);
        churned++;
      }
    }),
  );
  return {
    stop: async () => {
      running = false;
      await Promise.all(churners);
      return churned;
    },
  };
}

describe('migrating while other schemas are dropped', { skip }, () => {
  test('every store opens and migrates while other schemas are made and dropped meanwhile', async () => {
    const ours = Array.from({ length: 6 }, () => freshSchema());
    const churn = churnOtherSchemas();
    try {
      const opened = await Promise.allSettled(ours.map((schema) => openPostgresStore(urlWithSchema(schema))));
      assert.ok((await churn.stop()) > 0, 'other schemas were dropped during the migrations');
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
      assert.deepEqual(
        opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
        [],
      );
    } finally {
      await churn.stop();
      for (const name of ours) await dropSchema(name);
    }
  });

  test("the introspector never fails while other schemas are dropped (Kysely's own failed ~1 call in 10 here)", async () => {
    const db = new Kysely<unknown>({
      dialect: new OwnSchemaPostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4 }) }),
    });
    const churn = churnOtherSchemas();
    const failures: string[] = [];
    try {
      await Promise.all(
        [1, 2, 3, 4].map(async () => {
          for (let i = 0; i < 100; i++) {
            await db.introspection.getTables({ withInternalKyselyTables: true }).catch((err: unknown) => {
              failures.push(String(err));
            });
          }
        }),
      );
      assert.ok((await churn.stop()) > 0);
      assert.deepEqual(failures.slice(0, 3), []);
    } finally {
      await churn.stop();
      await db.destroy();
    }
  });

  test('the introspector lists the tables and columns of its own schema only', async () => {
    const [ours, theirs] = [freshSchema(), freshSchema()];
    await withAdminClient(async (c) => {
      await c.query(`create schema ${ours}; create table ${ours}.a (id serial primary key, note text not null)`);
      await c.query(`create schema ${theirs}; create table ${theirs}.b (id int)`);
    });
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${ours}` }),
      }),
    });
    try {
      const tables = await new OwnSchemaIntrospector(db).getTables();
      assert.deepEqual(
        tables.map((t) => [
          t.schema,
          t.name,
          t.columns.map((c) => [c.name, c.dataType, c.isNullable, c.isAutoIncrementing]),
        ]),
        [
          [
            ours,
            'a',
            [
              ['id', 'int4', false, true],
              ['note', 'text', false, false],
            ],
          ],
        ],
      );
    } finally {
      await db.destroy();
      await dropSchema(ours);
      await dropSchema(theirs);
    }
  });
});
