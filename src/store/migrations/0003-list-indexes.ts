import { type Migration, sql } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/** Larger than every epoch-ms expiry (must match `store/token-page.ts`). */
const NEVER = '9007199254740991';

/**
 * Indexes for paging, searching and sorting tokens and users in SQL (`store/token-page.ts`,
 * `store/user-page.ts`): one per sort key, each followed by the tie-breakers (newest first, then
 * id), so a page is read in index order and a deep page skips index entries only.
 */
export function migration0003(_t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      const tokenIndexes: Record<string, string> = {
        tokens_created: 'date_created desc, id',
        tokens_user_created: 'user_key, date_created desc, id',
        tokens_label: 'lower(label), date_created desc, id',
        tokens_user_sort: "coalesce(user_key, ''), date_created desc, id",
        tokens_expiry: `(case when valid_until = 0 then ${NEVER} else valid_until end), date_created desc, id`,
        tokens_last_used: 'last_used, date_created desc, id',
        tokens_counter: 'counter, date_created desc, id',
      };
      for (const [name, columns] of Object.entries(tokenIndexes)) {
        await sql.raw(`create index ${name} on tokens (${columns})`).execute(db);
      }
      // superseded by tokens_user_created
      await sql.raw('drop index tokens_user_key').execute(db);
      await sql.raw('create index users_active_name on users (active, username_key)').execute(db);
    },
  };
}
