import type { Expression, Kysely, RawBuilder } from 'kysely';
import type { Database, DbBool } from './database.js';

/** A running source of "something changed" signals (PostgreSQL LISTEN); see {@link FeedSignal}. */
export interface FeedSignalHandle {
  stop(): Promise<void>;
}

/** Starts a push source that calls `wake` when the change feed should read new changes. */
export type FeedSignal = (wake: () => void) => FeedSignalHandle;

/** The few things the shared Kysely store code must ask the dialect. */
export interface DialectHooks {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * The connection formats a page of an audit export itself when the query is marked with its
   * format (`export-page.ts`): SQLite's worker thread. Otherwise the store formats the rows.
   */
  readonly formatsExportPages?: boolean;
  /** Largest number of bound parameters in one statement. */
  readonly maxParams: number;
  /** Boolean as stored: 0/1 on SQLite, true/false on PostgreSQL. */
  bool(value: boolean): DbBool;
  /**
   * Runs `fn` in a write transaction (SQLite: `BEGIN IMMEDIATE`, so concurrent writers from other
   * processes wait on `busy_timeout` instead of failing on a lock upgrade).
   */
  write<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, ONE statement that is atomic by itself, as a write without an explicit
   * transaction: one round trip instead of three (BEGIN, the statement, COMMIT) for a write on a
   * token call's path. SQLite: still in turn with the other writes (one connection).
   */
  writeOne<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Inside a write transaction, before rows go into `changes` (PostgreSQL: serialise writers). */
  beforeChanges(trx: Kysely<Database>): Promise<void>;
  /** Inside the same transaction, after rows went into `changes` (PostgreSQL: `pg_notify`). */
  afterChanges(trx: Kysely<Database>, lastSeq: number): Promise<void>;
  /** The violated unique constraint's description (index or column name) when `err` is one. */
  uniqueViolation(err: unknown): string | undefined;
  /** Cheap check whether another connection committed since the last call (SQLite `data_version`). */
  hasNews?(db: Kysely<Database>): Promise<boolean>;
  /**
   * The whole number `text` starts with (its leading digits), or 1 when it starts with none: how
   * many calls a summary record stands for (`N more unauthenticated requests …`).
   */
  leadingCount(text: Expression<string>): RawBuilder<number>;
  /** Refreshes planner statistics now and then (SQLite `PRAGMA optimize`). */
  optimize?(db: Kysely<Database>): Promise<void>;
  /** Push source for the change feed, started while someone is subscribed. */
  readonly feedSignal?: FeedSignal;
  /** How often the change feed polls, ms. */
  readonly pollMs: number;
}
