import { HttpError } from '../http/http-error.js';

/** Longest username, display name, in characters. */
export const MAX_NAME_LENGTH = 255;
/** Longest email address. */
export const MAX_EMAIL_LENGTH = 254;

/** Whitespace, control or invisible format characters. */
const BLANK_OR_CONTROL = /[\s\p{Cc}\p{Cf}\p{Z}]/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const EMAIL = /^[^@]+@[^@.]+(\.[^@.]+)+$/u;

function bad(message: string): HttpError {
  return new HttpError('invalid_input', message);
}

/**
 * A username: 1–255 characters, no whitespace, control characters or `:` (the Basic-auth
 * separator, so `USER:TOKEN` stays unambiguous). @throws HttpError 400
 */
export function parseUsername(value: string): string {
  const length = [...value].length;
  if (length === 0) throw bad('username is required');
  if (length > MAX_NAME_LENGTH) throw bad(`username must be at most ${MAX_NAME_LENGTH} characters`);
  if (BLANK_OR_CONTROL.test(value)) throw bad('username must not contain whitespace or control characters');
  if (value.includes(':')) throw bad('username must not contain ":" (it separates user and token in Basic auth)');
  return value;
}

/** An email address (trimmed; simple shape check), or null when none is given. @throws HttpError 400 */
export function parseEmail(value: string | null | undefined): string | null {
  const email = value?.trim() ?? '';
  if (email === '') return null;
  if (email.length > MAX_EMAIL_LENGTH) throw bad(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
  if (BLANK_OR_CONTROL.test(email) || email.includes(':') || !EMAIL.test(email)) {
    throw bad(`email ${JSON.stringify(email)} is not a valid address (name@example.com)`);
  }
  return email;
}

/** A display name (trimmed, at most 255 characters, no control characters), or null. @throws HttpError 400 */
export function parseDisplayName(value: string | null | undefined): string | null {
  const name = value?.trim() ?? '';
  if (name === '') return null;
  if ([...name].length > MAX_NAME_LENGTH) throw bad(`display name must be at most ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(name)) throw bad('display name must not contain control characters');
  return name;
}
