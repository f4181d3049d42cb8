import type { Migration } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Token policy (issue 17): per-token rate limit, quota (with the count of calls it has used),
 * IP allow list, and `rate_windows`, the fixed-window call counts every node shares.
 * Existing tokens get no limit, no quota and no allow list.
 */
export function migration0005(t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema.alterTable('tokens').addColumn('rate_limit', 'text').execute();
      await db.schema.alterTable('tokens').addColumn('quota', t.bigint).execute();
      await db.schema
        .alterTable('tokens')
        .addColumn('quota_used', t.bigint, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('tokens')
        .addColumn('allowed_ips', 'text', (c) => c.notNull().defaultTo(''))
        .execute();

      await db.schema
        .createTable('rate_windows')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', t.bigint, (c) => c.notNull())
        .addColumn('window_end', t.bigint, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_windows_pk', ['key', 'window_start'])
        .execute();
      await db.schema.createIndex('rate_windows_end').on('rate_windows').column('window_end').execute();
    },
  };
}
