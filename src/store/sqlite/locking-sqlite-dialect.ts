import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { MigrationOutcome } from '../migrations/migration-outcome.js';
import { WorkerSqliteDriver } from './worker-sqlite-driver.js';

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

/**
 * The SQLite dialect of the store: statements run in a worker thread that owns the connection
 * to `file` ({@link WorkerSqliteDriver}); migrations run under an exclusive write transaction.
 */
export class LockingSqliteDialect implements Dialect {
  readonly #outcome: MigrationOutcome;
  /** The driver (one per dialect, so one worker thread per store). */
  readonly driver: WorkerSqliteDriver;

  constructor(file: string, outcome: MigrationOutcome) {
    this.#outcome = outcome;
    this.driver = new WorkerSqliteDriver(file);
  }

  createDriver(): Driver {
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter(this.#outcome);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
