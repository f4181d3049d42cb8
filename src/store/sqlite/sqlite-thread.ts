import { Worker } from 'node:worker_threads';
import type { AuditExportFormat } from '../audit-export.js';
import type { WireError, WorkerAnswer, WorkerRequest } from './sqlite-protocol.js';

/** The code of the error every statement gets once the worker thread has stopped. */
export const SQLITE_WORKER_STOPPED = 'SQLITE_WORKER_STOPPED';

/** What a statement answered: rows, or (for a statement without rows) changes and last row id. */
export interface StatementResult {
  readonly rows?: unknown[];
  readonly changes?: number;
  readonly lastInsertRowid?: number | bigint;
}

/** Distributes the `WorkerRequest` union over `Omit` (each kind keeps its own fields). */
type Unsent<T> = T extends WorkerRequest ? Omit<T, 'id'> : never;

/** The worker's file beside this one; from source (tsx) through a boot file that loads tsx. */
function startWorker(): Worker {
  // the process's flags, less one that only applies to a script given as a string (`node -e`)
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-worker.js', import.meta.url), { execArgv });
  return new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), {
    execArgv,
    workerData: { entry: new URL('./sqlite-worker.ts', import.meta.url).href },
  });
}

function toError(wire: WireError): Error {
  const err = new Error(wire.message);
  err.name = wire.name;
  if (wire.code !== undefined) Object.assign(err, { code: wire.code });
  return err;
}

/**
 * One SQLite worker thread and its connection to `file`, seen from the request thread: `run`
 * posts a statement and resolves with its answer. Statements run one at a time in the order they
 * were posted. When the thread stops unexpectedly every pending and later statement rejects with
 * code {@link SQLITE_WORKER_STOPPED} (the store answers 503) and `onStopped` is called once.
 * The thread keeps the process alive only while a statement is pending.
 */
export class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: StatementResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #stopped: Error | undefined;
  #closing = false;

  private constructor(onStopped: (reason: Error) => void) {
    this.#worker = startWorker();
    this.#worker.unref();
    this.#worker.on('message', (answer: WorkerAnswer) => this.#answer(answer));
    this.#worker.on('error', (err) => this.#stop(err, onStopped));
    this.#worker.on('exit', (code) =>
      this.#stop(new Error(`the SQLite worker thread exited with code ${code}`), onStopped),
    );
  }

  /**
   * Starts a thread and opens `file` in it.
   *
   * @throws the driver's error (with its `code`, e.g. SQLITE_NOTADB) when the file cannot be opened.
   */
  static async start(file: string, onStopped: (reason: Error) => void): Promise<SqliteThread> {
    const thread = new SqliteThread(onStopped);
    try {
      await thread.#post({ op: 'open', file });
    } catch (err) {
      // not a death to report: the caller gets the open error itself
      thread.#closing = true;
      await thread.#worker.terminate();
      throw err;
    }
    return thread;
  }

  /** True until the thread stopped (closed or died). */
  get alive(): boolean {
    return this.#stopped === undefined;
  }

  /** Runs one statement in the worker (with `exportFormat`: a page of an audit export, formatted there). */
  run(sql: string, params: readonly unknown[], exportFormat?: AuditExportFormat): Promise<StatementResult> {
    return this.#post({ op: 'query', sql, params, ...(exportFormat !== undefined && { exportFormat }) });
  }

  /** Closes the connection after every statement posted before; resolves when the thread ended. */
  async close(): Promise<void> {
    if (this.#stopped !== undefined) return;
    this.#closing = true;
    // held until the thread has ended (else the loop could finish while close is awaited)
    this.#worker.ref();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    try {
      await this.#post({ op: 'close' });
    } finally {
      await exited;
    }
  }

  /** Ends the thread at once, as a crash would (used by the tests of the failure path). */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #post(request: Unsent<WorkerRequest>): Promise<StatementResult> {
    if (this.#stopped !== undefined) return Promise.reject(this.#stoppedError());
    const id = this.#nextId++;
    return new Promise<StatementResult>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #answer(answer: WorkerAnswer): void {
    const waiting = this.#pending.get(answer.id);
    if (waiting === undefined) return;
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0 && !this.#closing) this.#worker.unref();
    if (answer.ok) waiting.resolve(answer);
    else waiting.reject(toError(answer.error));
  }

  #stop(reason: Error, onStopped: (reason: Error) => void): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = reason;
    const expected = this.#closing && this.#pending.size === 0;
    for (const waiting of this.#pending.values()) waiting.reject(this.#stoppedError());
    this.#pending.clear();
    if (!expected) onStopped(reason);
  }

  #stoppedError(): Error {
    return Object.assign(
      new Error(`the SQLite worker thread has stopped (${this.#stopped?.message ?? 'unknown reason'})`, {
        cause: this.#stopped,
      }),
      { code: SQLITE_WORKER_STOPPED },
    );
  }
}
