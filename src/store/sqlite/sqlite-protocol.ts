import type { AuditExportFormat } from '../audit-export.js';

/**
 * Messages between the request thread and the SQLite worker thread (see `sqlite-worker.ts`).
 * One request, one answer, matched by `id`; the worker runs them one at a time, in order.
 */

/** Opens the database file (first message; the worker answers `ok` or `error`). */
export interface OpenRequest {
  readonly op: 'open';
  readonly id: number;
  readonly file: string;
}

/**
 * Runs one statement: rows for a statement that returns rows, else changes and last row id.
 * With `exportFormat` (a page of audit rows), the one row answered is an `ExportPage` (see
 * `../export-page.ts`): the rows formatted there, so that only text crosses to the request thread.
 */
export interface QueryRequest {
  readonly op: 'query';
  readonly id: number;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly exportFormat?: AuditExportFormat;
}

/** Closes the database (a WAL checkpoint happens here) and lets the thread end. */
export interface CloseRequest {
  readonly op: 'close';
  readonly id: number;
}

export type WorkerRequest = OpenRequest | QueryRequest | CloseRequest;

/** The driver's error, as plain data (its class does not cross the thread boundary). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WorkerAnswer =
  | {
      readonly id: number;
      readonly ok: true;
      readonly rows?: unknown[];
      readonly changes?: number;
      readonly lastInsertRowid?: number | bigint;
    }
  | { readonly id: number; readonly ok: false; readonly error: WireError };
