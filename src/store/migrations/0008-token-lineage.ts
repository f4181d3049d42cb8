import type { Migration } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Rotations share their limits (issue 17): `lineage_id` names the first token of a token's
 * rotations (null: the token itself). The old and the new token of a rotation count one
 * rate-limit window and one quota, so a rotation's grace never doubles what a token may call.
 * Existing tokens start a lineage of their own.
 */
export function migration0008(_t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema.alterTable('tokens').addColumn('lineage_id', 'text').execute();
      await db.schema.createIndex('tokens_lineage').on('tokens').column('lineage_id').execute();
    },
  };
}
