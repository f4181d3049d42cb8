import { parentPort } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { AuditTable } from '../database.js';
import { exportPageOf } from '../export-page.js';
import { toAudit } from '../rows.js';
import type { WireError, WorkerAnswer, WorkerRequest } from './sqlite-protocol.js';

/**
 * The SQLite worker thread: it owns the one better-sqlite3 connection and runs every statement
 * the store sends, one at a time, so that no SQLite call (each of which is synchronous) ever runs
 * on the thread that serves requests. Started by `sqlite-thread.ts`.
 */

/** Prepared statements kept (Kysely's SQL text is the same for the same query shape). */
const MAX_STATEMENTS = 200;

let db: BetterSqlite3.Database | undefined;
const statements = new Map<string, BetterSqlite3.Statement>();

function openFile(file: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(file);
  try {
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    // checkpoint every 16 MB of WAL instead of 4 MB: fewer fsyncs under a steady audit stream
    raw.pragma('wal_autocheckpoint = 4000');
    // reads the schema: a file that is not a database fails here, not later
    raw.prepare('select count(*) from sqlite_master').get();
    return raw;
  } catch (err) {
    raw.close();
    throw err;
  }
}

/** Re-uses prepared statements by SQL text, dropping the least recently used beyond the limit. */
function prepare(open: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let statement = statements.get(sql);
  if (statement !== undefined) {
    statements.delete(sql);
  } else {
    statement = open.prepare(sql);
    if (statements.size >= MAX_STATEMENTS) {
      const oldest = statements.keys().next().value;
      if (oldest !== undefined) statements.delete(oldest);
    }
  }
  statements.set(sql, statement);
  return statement;
}

/** Structured clone turns a Buffer into a plain Uint8Array; better-sqlite3 binds Buffers. */
function bindable(params: readonly unknown[]): unknown[] {
  return params.map((p) =>
    p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p,
  );
}

function wireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' && { code }) };
}

function handle(request: WorkerRequest): WorkerAnswer {
  switch (request.op) {
    case 'open':
      db?.close();
      db = openFile(request.file);
      return { id: request.id, ok: true };
    case 'query': {
      if (db === undefined)
        throw Object.assign(new Error('the SQLite database is not open'), { code: 'SQLITE_MISUSE' });
      const statement = prepare(db, request.sql);
      const params = bindable(request.params);
      if (request.exportFormat !== undefined) {
        return {
          id: request.id,
          ok: true,
          rows: [exportPageOf((statement.all(params) as Selectable<AuditTable>[]).map(toAudit), request.exportFormat)],
        };
      }
      if (statement.reader) return { id: request.id, ok: true, rows: statement.all(params) };
      const { changes, lastInsertRowid } = statement.run(params);
      return { id: request.id, ok: true, changes, lastInsertRowid };
    }
    case 'close':
      statements.clear();
      db?.close();
      db = undefined;
      return { id: request.id, ok: true };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  let answer: WorkerAnswer;
  try {
    answer = handle(request);
  } catch (err) {
    answer = { id: request.id, ok: false, error: wireError(err) };
  }
  parentPort?.postMessage(answer);
  // nothing else keeps the thread alive: it ends once the port is closed
  if (request.op === 'close') parentPort?.close();
});
