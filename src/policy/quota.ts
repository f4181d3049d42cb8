import { HttpError } from '../http/http-error.js';

/** Largest quota accepted. */
export const MAX_QUOTA = Number.MAX_SAFE_INTEGER;

const QUOTA_MESSAGE = 'quota must be a whole number of calls from 1 (absent: no quota)';

/** The total calls a token may make; null when absent or empty. @throws HttpError 400 */
export function parseQuotaInput(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  let quota: number;
  if (typeof value === 'number') quota = value;
  else if (typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value)) quota = Number(value);
  else throw new HttpError('invalid_input', QUOTA_MESSAGE);
  if (!Number.isSafeInteger(quota) || quota < 1) throw new HttpError('invalid_input', QUOTA_MESSAGE);
  return quota;
}
