/**
 * Migrating while other schemas of the same PostgreSQL database are dropped (other applications,
 * other tests): Kysely looks for its tables in every schema, and a schema dropped during that
 * look-up failed the whole start with "schema … does not exist" (seen in CI).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { droppedOtherSchema } from '../migrations/migrate.js';
import { openPostgresStore } from './open-postgres-store.js';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  urlWithSchema,
  withAdminClient,
} from './postgres-test-db.test-helpers.js';

const skip = await postgresSkipReason();

test('only "schema does not exist" (3F000) of another schema is retried', () => {
  const missing = (name: string) => Object.assign(new Error(`schema "${name}" does not exist`), { code: '3F000' });
  assert.equal(droppedOtherSchema(missing('someone_else'), 'tg_own'), true);
  assert.equal(droppedOtherSchema(missing('tg_own'), 'tg_own'), false, 'our own schema missing is an error');
  assert.equal(droppedOtherSchema(Object.assign(new Error('permission denied'), { code: '42501' }), 'tg_own'), false);
  assert.equal(droppedOtherSchema(undefined, 'tg_own'), false);
});

describe('migrating while other schemas are dropped', { skip }, () => {
  test('every store opens and migrates while 40 other schemas are dropped meanwhile', async () => {
    const others = Array.from({ length: 40 }, () => freshSchema());
    await withAdminClient(async (c) => {
      for (const name of others) await c.query(`create schema ${name}; create table ${name}.t (id int)`);
    });
    const ours = Array.from({ length: 6 }, () => freshSchema());
    try {
      const dropping = (async () => {
        for (const name of others) await dropSchema(name);
      })();
      const opened = await Promise.allSettled(ours.map((schema) => openPostgresStore(urlWithSchema(schema))));
      await dropping;
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
      const failures = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      assert.deepEqual(failures, []);
    } finally {
      for (const name of [...others, ...ours]) await dropSchema(name);
    }
  });
});
