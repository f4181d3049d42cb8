import { type DialectAdapter, type Kysely, SqliteAdapter, SqliteDialect, type SqliteDialectConfig, sql } from 'kysely';
import type { MigrationOutcome } from '../migrations/migration-outcome.js';

/**
 * Kysely's SQLite adapter takes no migration lock and runs migrations outside a transaction.
 * This one holds `BEGIN IMMEDIATE` for the whole run (other processes wait on `busy_timeout`,
 * then see the migrations done) and commits, or rolls everything back when a migration failed.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  readonly #outcome: MigrationOutcome;

  constructor(outcome: MigrationOutcome) {
    super();
    this.#outcome = outcome;
  }

  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    this.#outcome.failed = false;
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    if (this.#outcome.failed) await sql`rollback`.execute(db);
    else await sql`commit`.execute(db);
  }
}

/** {@link SqliteDialect} whose migrations run under an exclusive write transaction. */
export class LockingSqliteDialect extends SqliteDialect {
  readonly #outcome: MigrationOutcome;

  constructor(config: SqliteDialectConfig, outcome: MigrationOutcome) {
    super(config);
    this.#outcome = outcome;
  }

  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter(this.#outcome);
  }
}
