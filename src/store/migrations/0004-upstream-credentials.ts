import type { Migration } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Per-user upstream credentials: at most one per user, sealed with the encryption key of kept
 * secrets (in both modes), keyed by the lower-case username. A table of its own, so that no
 * query that reads users ever carries a sealed credential along.
 */
export function migration0004(t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createTable('upstream_credentials')
        .addColumn('username_key', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('date_set', t.bigint, (c) => c.notNull())
        .execute();
    },
  };
}
