import { HttpError } from '../http/http-error.js';

/** Default grace period of a rotation: the old secret keeps working this long. */
export const DEFAULT_GRACE_MINUTES = 60;
/** Longest grace period (30 days). */
export const MAX_GRACE_MINUTES = 43_200;

const GRACE_MESSAGE = `graceMinutes must be a whole number of minutes from 0 (at once) to ${MAX_GRACE_MINUTES}`;

/** The grace period in minutes; absent = 60. @throws HttpError 400 */
export function parseGraceMinutes(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_GRACE_MINUTES;
  let minutes: number;
  if (typeof value === 'number') minutes = value;
  else if (typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value)) minutes = Number(value);
  else throw new HttpError('invalid_input', GRACE_MESSAGE);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_GRACE_MINUTES) {
    throw new HttpError('invalid_input', GRACE_MESSAGE);
  }
  return minutes;
}
