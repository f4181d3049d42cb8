import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SelectQueryNode } from 'kysely';
import { createLogger, describeError } from '../../log/logger.js';
import { exportFormatOf } from '../export-page.js';
import { SQLITE_WORKER_STOPPED, SqliteThread } from './sqlite-thread.js';

/** After a worker thread died, a new one is started no sooner than this (a crash loop stays a 503). */
const RESTART_AFTER_MS = 1000;

/** A connection bound to one worker thread: if that thread dies, it never talks to its successor. */
class WorkerConnection implements DatabaseConnection {
  readonly #thread: SqliteThread;

  constructor(thread: SqliteThread) {
    this.#thread = thread;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const answer = await this.#thread.run(compiled.sql, compiled.parameters, exportFormatOf(compiled));
    if (answer.rows !== undefined) return { rows: answer.rows as R[] };
    return {
      rows: [],
      ...(answer.changes !== undefined && { numAffectedRows: BigInt(answer.changes) }),
      ...(answer.lastInsertRowid !== undefined && { insertId: BigInt(answer.lastInsertRowid) }),
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // rows come back whole from the worker; the store reads large results in keyset pages instead
    if (!SelectQueryNode.is(compiled.query)) throw new Error('only select queries can be streamed');
    const result = await this.executeQuery<R>(compiled);
    for (const row of result.rows) yield { rows: [row] };
  }
}

/** One connection at a time (SQLite has one writer; the worker runs one statement at a time). */
class ConnectionMutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held !== undefined) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

/**
 * Kysely driver whose one connection lives in a worker thread (`sqlite-worker.ts`): a query is
 * posted there as SQL text and parameters, the request thread awaits the answer and never runs
 * SQLite itself. A transaction holds the connection (and so the thread) for its whole duration;
 * everything else is serialised behind it, as with Kysely's own SQLite driver.
 *
 * When the thread dies, statements in flight fail with code `SQLITE_WORKER_STOPPED` (the store
 * answers 503, a line is logged), an open transaction is lost (SQLite rolls it back), and the
 * next query starts a new thread on the same file — at most once a second.
 */
export class WorkerSqliteDriver implements Driver {
  readonly #file: string;
  readonly #mutex = new ConnectionMutex();
  readonly #log = createLogger('error');
  #thread: SqliteThread | undefined;
  #diedAt = 0;
  #destroyed = false;

  constructor(file: string) {
    this.#file = file;
  }

  async init(): Promise<void> {
    this.#thread = await SqliteThread.start(this.#file, (reason) => this.#died(reason));
  }

  /** The current thread (tests end it to see the failure path). */
  get thread(): SqliteThread | undefined {
    return this.#thread;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    try {
      return new WorkerConnection(await this.#liveThread());
    } catch (err) {
      this.#mutex.unlock();
      throw err;
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /** Waits for the connection (statements in flight finish), then closes the thread. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    await this.#mutex.lock();
    try {
      await this.#thread?.close();
    } finally {
      this.#mutex.unlock();
    }
  }

  async #liveThread(): Promise<SqliteThread> {
    const thread = this.#thread;
    if (thread?.alive === true) return thread;
    if (this.#destroyed || Date.now() - this.#diedAt < RESTART_AFTER_MS) {
      throw Object.assign(new Error('the SQLite worker thread has stopped'), { code: SQLITE_WORKER_STOPPED });
    }
    this.#thread = await SqliteThread.start(this.#file, (reason) => this.#died(reason));
    this.#log.error('SQLite worker thread restarted', { file: this.#file });
    return this.#thread;
  }

  #died(reason: Error): void {
    this.#diedAt = Date.now();
    this.#log.error('SQLite worker thread stopped: database calls fail (503) until it is restarted', {
      file: this.#file,
      ...describeError(reason),
    });
  }
}
