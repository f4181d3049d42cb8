import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import type { DialectHooks, FeedSignal } from '../dialect-hooks.js';

/** PostgreSQL's limit of bound parameters per statement. */
const PG_MAX_PARAMS = 65_535;
/** Safety-net poll of the change feed (NOTIFY is the fast path). */
const PG_POLL_MS = 1000;
/** First key of the advisory lock that serialises change writers ("tkng"). */
const CHANGE_LOCK_CLASS = 0x746b6e67;

/** The NOTIFY channel of the change feed. */
export const CHANGES_CHANNEL = 'tokengate_changes';

/** A 31-bit hash of `text` (second advisory-lock key: one lock per schema). */
function hash31(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h & 0x7fffffff;
}

/**
 * The PostgreSQL side of the store. Writers that add change rows take a transaction-scoped
 * advisory lock first, so change sequence numbers become visible in order (a poller never skips
 * a seq that commits late), and send `pg_notify('tokengate_changes', seq)` before commit.
 */
export function postgresHooks(schema: string, feedSignal: FeedSignal): DialectHooks {
  const lockKey = hash31(schema);
  return {
    dialect: 'postgres',
    maxParams: PG_MAX_PARAMS,
    pollMs: PG_POLL_MS,
    feedSignal,
    bool: (value) => value,
    // at most 9 digits: the cast never overflows
    leadingCount: (text) => sql<number>`coalesce(cast(substring(${text} from '^[0-9]{1,9}') as bigint), 1)`,
    async write<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },
    async writeOne<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
      return fn(db);
    },
    async beforeChanges(trx: Kysely<Database>): Promise<void> {
      await sql`select pg_advisory_xact_lock(${sql.lit(CHANGE_LOCK_CLASS)}, ${sql.lit(lockKey)})`.execute(trx);
    },
    async afterChanges(trx: Kysely<Database>, lastSeq: number): Promise<void> {
      await sql`select pg_notify(${CHANGES_CHANNEL}, ${String(lastSeq)})`.execute(trx);
    },
    uniqueViolation(err: unknown): string | undefined {
      if (typeof err !== 'object' || err === null || !('code' in err) || err.code !== '23505') return undefined;
      if ('constraint' in err && typeof err.constraint === 'string') return err.constraint;
      return err instanceof Error ? err.message : '23505';
    },
  };
}
