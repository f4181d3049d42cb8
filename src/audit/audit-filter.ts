import { HttpError } from '../http/http-error.js';
import type { AuditDecision, AuditFilter, AuditRecord } from '../store/models.js';

/** Every decision a record can have. */
export const AUDIT_DECISIONS: readonly AuditDecision[] = Object.freeze([
  'allowed',
  'denied',
  'refused',
  'unauthenticated',
  'error',
  'admin',
  'passthrough',
]);

export type AuditFormat = 'json' | 'csv' | 'ndjson';

/** A validated audit query: filter, paging and output format. */
export interface AuditQuery {
  readonly filter: AuditFilter;
  readonly startAt: number;
  readonly maxResults: number;
  readonly format: AuditFormat;
}

export const DEFAULT_MAX_RESULTS = 50;
export const MAX_MAX_RESULTS = 1000;

const DIGITS = /^[0-9]+$/;
/** `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and `Z` or `±HH:MM` (`±HHMM`); `T` may be a space. */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Thrown by {@link parseTime} for an unreadable time; the message names what is accepted. */
export class TimeFormatError extends Error {
  constructor(name: string, value: string) {
    super(
      `${name} must be epoch milliseconds or an ISO 8601 date/time (e.g. 2024-05-01 or 2024-05-01T12:00:00Z); got "${shorten(value)}"`,
    );
    this.name = 'TimeFormatError';
  }
}

function shorten(value: string): string {
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/**
 * Epoch milliseconds from epoch milliseconds (digits) or ISO 8601. A date alone is midnight UTC;
 * a time without offset is UTC too (the server's time zone never matters).
 *
 * @example
 * parseTime('from', '1714521600000');        // 1714521600000
 * parseTime('from', '2024-05-01');           // 1714521600000
 * parseTime('to', '2024-05-01T14:00+02:00'); // 1714564800000
 * @throws TimeFormatError
 */
export function parseTime(name: string, value: string): number {
  const text = value.trim();
  if (DIGITS.test(text)) {
    const ms = Number(text);
    if (Number.isSafeInteger(ms)) return ms;
    throw new TimeFormatError(name, value);
  }
  const m = ISO_8601.exec(text);
  if (m === null) throw new TimeFormatError(name, value);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw new TimeFormatError(name, value);
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) throw new TimeFormatError(name, value);
    offsetMinutes = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0–99 to 1900–1999
  const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return fixed - offsetMinutes * 60_000;
}

function single(query: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  const values = query.get(name);
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new HttpError('invalid_input', `give ${name} at most once`);
  return values[0];
}

function text(query: ReadonlyMap<string, readonly string[]>, name: string, max: number): string | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw new HttpError('invalid_input', `${name} is too long (at most ${max} characters)`);
  return value;
}

function integer(
  query: ReadonlyMap<string, readonly string[]>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = single(query, name);
  if (value === undefined || value === '') return fallback;
  const n = DIGITS.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    throw new HttpError('invalid_input', `${name} must be ${range}; got "${shorten(value)}"`);
  }
  return n;
}

/** `2024-05-01`: a day, with no time of day. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function time(query: ReadonlyMap<string, readonly string[]>, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  try {
    const ms = parseTime(name, value);
    // `to=2024-05-01` means "up to and including that day" (UTC), not its first millisecond.
    return name === 'to' && DATE_ONLY.test(value.trim()) ? ms + DAY_MS - 1 : ms;
  } catch (err) {
    if (err instanceof TimeFormatError) throw new HttpError('invalid_input', err.message);
    throw err;
  }
}

/** A decision from user input (case-insensitive), or an error message. */
export function parseDecision(value: string): AuditDecision | string {
  const lower = value.toLowerCase();
  const found = AUDIT_DECISIONS.find((d) => d === lower);
  return found ?? `decision must be one of ${AUDIT_DECISIONS.join(', ')}; got "${shorten(value)}"`;
}

/** True when `value` is one of {@link AUDIT_DECISIONS}. */
export function isAuditDecision(value: string): value is AuditDecision {
  return (AUDIT_DECISIONS as readonly string[]).includes(value);
}

/**
 * Validates the audit endpoint's query: `tokenId`, `user`, `decision`, `from`, `to` (epoch ms
 * or ISO 8601), `path` (prefix, starts with `/`), `startAt` (≥ 0, default 0), `maxResults`
 * (1–1000, default 50), `format` (`json` default, `csv`, `ndjson`). Empty values count as
 * absent; a name given twice, or any bad value, is an `HttpError` 400 that says what is wrong.
 * Other parameters are ignored (e.g. `os_authType`, `_` cache busters).
 *
 * @example
 * parseAuditQuery(new Map([['decision', ['denied']], ['from', ['2024-05-01']]]));
 * // { filter: { decision: 'denied', from: 1714521600000 }, startAt: 0, maxResults: 50, format: 'json' }
 * @throws HttpError 400
 */
export function parseAuditQuery(query: ReadonlyMap<string, readonly string[]>): AuditQuery {
  const tokenId = text(query, 'tokenId', 256);
  const user = text(query, 'user', 255);
  const decisionText = text(query, 'decision', 64);
  let decision: AuditDecision | undefined;
  if (decisionText !== undefined) {
    const parsed = parseDecision(decisionText);
    if (!isAuditDecision(parsed)) throw new HttpError('invalid_input', parsed);
    decision = parsed;
  }
  const from = time(query, 'from');
  const to = time(query, 'to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new HttpError('invalid_input', 'from must not be after to');
  }
  const path = text(query, 'path', 2048);
  if (path !== undefined && !path.startsWith('/')) {
    throw new HttpError(
      'invalid_input',
      `path must start with "/" (it is a path prefix such as /rest/api/); got "${shorten(path)}"`,
    );
  }
  const startAt = integer(query, 'startAt', 0, Number.MAX_SAFE_INTEGER, 0);
  const maxResults = integer(query, 'maxResults', 1, MAX_MAX_RESULTS, DEFAULT_MAX_RESULTS);
  const formatText = (text(query, 'format', 16) ?? 'json').toLowerCase();
  if (formatText !== 'json' && formatText !== 'csv' && formatText !== 'ndjson') {
    throw new HttpError('invalid_input', `format must be json, csv or ndjson; got "${shorten(formatText)}"`);
  }
  const filter: AuditFilter = {
    ...(tokenId !== undefined && { tokenId }),
    ...(user !== undefined && { user }),
    ...(decision !== undefined && { decision }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(path !== undefined && { path }),
  };
  return { filter, startAt, maxResults, format: formatText };
}

/**
 * True when `record` passes `filter`, with the store's semantics: `tokenId`, `decision` exact;
 * `user` and `ownUser` case-insensitive; `from` ≤ time ≤ `to`; `path` a prefix; `tokenIds` and
 * `ownUser` together mean "either". Used where records are not read through `queryAudit`
 * (`audit --follow` reads `auditAfter`).
 *
 * @example
 * matchesAuditFilter(record, { decision: 'denied', path: '/rest/api/' });
 */
export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.tokenId !== undefined && record.tokenId !== filter.tokenId) return false;
  if (filter.user !== undefined && record.user?.toLowerCase() !== filter.user.toLowerCase()) return false;
  if (filter.decision !== undefined && record.decision !== filter.decision) return false;
  if (filter.from !== undefined && record.time < filter.from) return false;
  if (filter.to !== undefined && record.time > filter.to) return false;
  if (filter.path !== undefined && !record.path.startsWith(filter.path)) return false;
  const byUser = filter.ownUser !== undefined;
  const byTokens = filter.tokenIds !== undefined;
  if (byUser || byTokens) {
    const own = byUser && record.user?.toLowerCase() === filter.ownUser?.toLowerCase();
    const tokens = byTokens && record.tokenId !== null && (filter.tokenIds?.includes(record.tokenId) ?? false);
    if (!own && !tokens) return false;
  }
  return true;
}
