import { randomBytes } from 'node:crypto';
import { type Migration, sql } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/** Meta key of the digest key kept in the database (read by `tokens/keys.ts`). */
export const DIGEST_KEY_META = 'digestKey';

/**
 * Creates the digest key in the database, once, under the migration lock (PostgreSQL: Kysely's
 * advisory lock; SQLite: `BEGIN IMMEDIATE`): nodes that start together on an empty database all
 * read the same key afterwards. 32 random bytes, base64, as `tokens/key-encoding.ts` writes keys.
 * A key already there (a database made before this migration) is kept.
 */
export function migration0002(_t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      const key = randomBytes(32).toString('base64');
      await sql`insert into meta (key, value) values (${DIGEST_KEY_META}, ${key}) on conflict (key) do nothing`.execute(
        db,
      );
    },
  };
}
