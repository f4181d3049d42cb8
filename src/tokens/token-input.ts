import { HttpError } from '../http/http-error.js';
import { parseLimitToCached, ruleSetToString } from '../restrictions/index.js';
import { validateCustomSecret } from './secret.js';
import { TOKEN_FIELD_MESSAGES } from './token-field-messages.js';

/** Longest label, in characters. */
export const MAX_LABEL_LENGTH = 255;
/** Longest accepted `daysUntilExpiry` when the server sets no maximum (100 years). */
export const MAX_DAYS = 36_500;
/** Longest accepted limitTo text, in characters. */
export const MAX_LIMIT_TO_LENGTH = 65_536;

const CONTROL_CHARACTER = /\p{Cc}/u;

function bad(message: string): HttpError {
  return new HttpError('invalid_input', message);
}

/** True for the "not given" values of an optional field: absent, null or the empty string. */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** The label, trimmed: 1–255 characters, no control characters. @throws HttpError 400 */
export function parseLabel(value: unknown): string {
  if (isAbsent(value)) throw bad('label is required: a name for the token (1-255 characters)');
  if (typeof value !== 'string') throw bad(TOKEN_FIELD_MESSAGES.label);
  const label = value.trim();
  const length = [...label].length;
  if (length === 0) throw bad('label is required: a name for the token (1-255 characters)');
  if (length > MAX_LABEL_LENGTH) throw bad(`label must be at most ${MAX_LABEL_LENGTH} characters (it has ${length})`);
  if (CONTROL_CHARACTER.test(label)) throw bad('label must not contain control characters such as line breaks');
  return label;
}

/**
 * Whole days until expiry (0 = never), from a number or a string of digits, within the server's
 * `maxExpiryDays` (which, when set, also refuses never-expiring tokens). @throws HttpError 400
 */
export function parseDaysUntilExpiry(value: unknown, maxExpiryDays: number | null): number {
  let days: number;
  if (isAbsent(value)) days = 0;
  else if (typeof value === 'number') days = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) days = Number(value);
  else throw bad(TOKEN_FIELD_MESSAGES.daysUntilExpiry);
  if (!Number.isInteger(days) || days < 0) {
    throw bad(TOKEN_FIELD_MESSAGES.daysUntilExpiry);
  }
  if (maxExpiryDays !== null) {
    if (days === 0) {
      throw bad(`tokens must expire on this server: set daysUntilExpiry from 1 to ${maxExpiryDays}`);
    }
    if (days > maxExpiryDays)
      throw bad(`daysUntilExpiry must be at most ${maxExpiryDays} on this server (got ${days})`);
  } else if (days > MAX_DAYS) {
    throw bad(`daysUntilExpiry must be at most ${MAX_DAYS}; use 0 for a token that never expires`);
  }
  return days;
}

/** The requested user name, trimmed, or null when none was given. @throws HttpError 400 */
export function parseUserName(value: unknown): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') throw bad(TOKEN_FIELD_MESSAGES.userName);
  const name = value.trim();
  return name === '' ? null : name;
}

/**
 * The restriction rules, parsed (a bad rule is refused with its line, column and reason) and
 * normalised: one rule per line joined with `\n`; '' when unrestricted. @throws HttpError 400
 */
export function parseLimitToInput(value: unknown): string {
  if (isAbsent(value)) return '';
  if (typeof value !== 'string') throw bad(TOKEN_FIELD_MESSAGES.limitTo);
  if (value.length > MAX_LIMIT_TO_LENGTH) throw bad(`limitTo must be at most ${MAX_LIMIT_TO_LENGTH} characters`);
  const parsed = parseLimitToCached(value);
  if (!parsed.ok) throw bad(`limitTo: ${parsed.error.message}`);
  return ruleSetToString(parsed.ruleSet, '\n');
}

/** The caller-supplied secret, or null to generate one. @throws HttpError 400 (never echoing the value) */
export function parseCustomSecret(value: unknown): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') throw bad(TOKEN_FIELD_MESSAGES.token);
  const problem = validateCustomSecret(value);
  if (problem !== null) throw bad(problem);
  return value;
}
