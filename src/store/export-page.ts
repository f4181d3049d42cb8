import type { CompiledQuery } from 'kysely';
import { type AuditExportFormat, exportLines } from './audit-export.js';
import type { StoredAuditRecord } from './models.js';

/**
 * A compiled page of audit rows that the SQLite worker answers as one {@link ExportPage} instead
 * of rows: `Store.exportAudit` marks the query it passes to `db.executeQuery` (Kysely hands the
 * same object to the connection), so the rows are formatted on the SQLite thread and only text
 * reaches the request thread.
 */
export type ExportPageQuery = CompiledQuery & { readonly exportFormat: AuditExportFormat };

/** A page of an audit export: its text, how many rows it holds, and the last row's key. */
export interface ExportPage {
  readonly text: string;
  readonly count: number;
  readonly last: { readonly time: number; readonly id: number } | undefined;
}

/** The export format a compiled query is marked with, if any. */
export function exportFormatOf(compiled: CompiledQuery): AuditExportFormat | undefined {
  return (compiled as Partial<ExportPageQuery>).exportFormat;
}

/** `records` (one page, in export order) as an {@link ExportPage}. */
export function exportPageOf(records: readonly StoredAuditRecord[], format: AuditExportFormat): ExportPage {
  const last = records.at(-1);
  return {
    text: exportLines(records, format),
    count: records.length,
    last: last === undefined ? undefined : { time: last.time, id: last.id },
  };
}
