import type { Migration, MigrationProvider } from 'kysely';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-digest-key.js';
import { migration0003 } from './0003-list-indexes.js';
import { migration0004 } from './0004-upstream-credentials.js';
import { migration0005 } from './0005-token-policy.js';
import { migration0006 } from './0006-webhook-events.js';
import { migration0007 } from './0007-token-search.js';
import { migration0008 } from './0008-token-lineage.js';
import { migration0009 } from './0009-short-search.js';
import { dialectTypes, type SqlDialectName, type VersionedMigration } from './migration-context.js';
import type { MigrationOutcome } from './migration-outcome.js';

/** Every migration, in order. Names sort alphabetically in the order they must run. */
const MIGRATIONS: Readonly<Record<string, VersionedMigration>> = Object.freeze({
  '0001-initial': migration0001,
  '0002-digest-key': migration0002,
  '0003-list-indexes': migration0003,
  '0004-upstream-credentials': migration0004,
  '0005-token-policy': migration0005,
  '0006-webhook-events': migration0006,
  '0007-token-search': migration0007,
  '0008-token-lineage': migration0008,
  '0009-short-search': migration0009,
});

/**
 * A static migration provider (no filesystem scanning, so it works from `dist/` and bundles).
 * A failing migration sets `outcome.failed` (the SQLite lock then rolls everything back).
 *
 * @example
 * new Migrator({ db, provider: migrationProvider('sqlite') });
 */
export function migrationProvider(dialect: SqlDialectName, outcome?: MigrationOutcome): MigrationProvider {
  const types = dialectTypes(dialect);
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      const out: Record<string, Migration> = {};
      for (const [name, build] of Object.entries(MIGRATIONS)) {
        const migration = build(types);
        out[name] = {
          async up(db) {
            try {
              await migration.up(db);
            } catch (err) {
              if (outcome !== undefined) outcome.failed = true;
              throw err;
            }
          },
        };
      }
      return out;
    },
  };
}
