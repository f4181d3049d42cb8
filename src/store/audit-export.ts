import type { StoredAuditRecord } from './models.js';

/** The two export formats. */
export type AuditExportFormat = 'csv' | 'ndjson';

/** Export columns, in order (CSV header names and NDJSON keys). */
export const AUDIT_COLUMNS = [
  'id',
  'time',
  'timeMs',
  'decision',
  'reason',
  'user',
  'tokenId',
  'tokenLabel',
  'authMethod',
  'method',
  'path',
  'query',
  'upstreamStatus',
  'clientIp',
  'userAgent',
  'durationMs',
  'node',
] as const;

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** One record as plain export values, in {@link AUDIT_COLUMNS} order. */
function exportValues(r: StoredAuditRecord): (string | number | null)[] {
  return [
    r.id,
    isoTime(r.time),
    r.time,
    r.decision,
    r.reason,
    r.user,
    r.tokenId,
    r.tokenLabel,
    r.authMethod,
    r.method,
    r.path,
    r.query,
    r.upstreamStatus,
    r.clientIp,
    r.userAgent,
    r.durationMs,
    r.node,
  ];
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;
/** First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted, with `"` doubled, when it contains `"`, `,`, CR or LF.
 *
 * Formula injection: a text that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with
 * `'`, so Excel, LibreOffice and Google Sheets show it as text instead of running it
 * (`=HYPERLINK(…)` in a user agent, say). The prefix is visible in the file; numbers are written
 * as they are (none of them is negative). Use the NDJSON export for exact values.
 *
 * @example
 * csvField('a,b');      // '"a,b"'
 * csvField('=1+1');     // "'=1+1"
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return CSV_NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Line separators JSON.stringify leaves as they are but some JavaScript-based readers split on. */
const JS_LINE_SEPARATORS = /[\u2028\u2029]/g;

/** One record as one NDJSON line (keys as {@link AUDIT_COLUMNS}). */
export function ndjsonLine(r: StoredAuditRecord): string {
  const values = exportValues(r);
  const object: Record<string, string | number | null> = {};
  AUDIT_COLUMNS.forEach((column, i) => {
    object[column] = values[i] ?? null;
  });
  // JSON.stringify escapes CR, LF and every other C0 control; U+2028/2029 are escaped here
  const json = JSON.stringify(object).replace(JS_LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
  return `${json}\n`;
}

/** What an export starts with: the CSV header row; nothing for NDJSON. */
export function exportHeader(format: AuditExportFormat): string {
  return format === 'csv' ? csvRow(AUDIT_COLUMNS) : '';
}

/**
 * `records` as export lines, without the header. CSV: RFC 4180 (CRLF line ends, quoting as in
 * {@link csvField}, formula-looking text prefixed with `'`); NDJSON: one JSON object per
 * `\n`-terminated line ({@link ndjsonLine}). Columns and keys: {@link AUDIT_COLUMNS}; `time` is ISO
 * 8601 (UTC), `timeMs` epoch milliseconds. Values are the stored ones (control characters already
 * escaped by the record builder); a raw CR or LF would still stay inside its quoted field. The
 * SQLite thread formats each page of an export with it (`Store.exportAudit`), so only text reaches
 * the request thread.
 *
 * @example
 * res.write(exportHeader('csv') + exportLines(records, 'csv'));
 */
export function exportLines(records: readonly StoredAuditRecord[], format: AuditExportFormat): string {
  let text = '';
  for (const r of records) text += format === 'csv' ? csvRow(exportValues(r)) : ndjsonLine(r);
  return text;
}
