import { HttpError } from '../http/http-error.js';

/** The kinds of upstream credential a user may hold. */
export type UpstreamCredentialType = 'basic' | 'bearer';

const CONTROL_OR_BLANK = /[\s\p{Cc}]/u;
const CONTROL = /\p{Cc}/u;
/** Longer than any real password or access token; bounds what is sealed and sent on every call. */
const MAX_VALUE_LENGTH = 4096;

/** The type, or 400. */
export function parseUpstreamCredentialType(value: unknown): UpstreamCredentialType {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'basic' || lower === 'bearer') return lower;
  }
  throw new HttpError('invalid_input', 'type must be "bearer" (an access token) or "basic" (name:password)');
}

/**
 * Checks a credential value and returns the `Authorization` header it becomes. Bearer: a token
 * without whitespace; Basic: `name:password` (the name without ":"). Errors never repeat the value.
 *
 * @throws HttpError 400
 * @example
 * upstreamAuthorization('basic', 'alice:s3cret') // 'Basic YWxpY2U6czNjcmV0'
 */
export function upstreamAuthorization(type: UpstreamCredentialType, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new HttpError('invalid_input', 'value must be a non-empty string');
  if (value.length > MAX_VALUE_LENGTH)
    throw new HttpError('invalid_input', `value must be at most ${MAX_VALUE_LENGTH} characters`);
  if (type === 'bearer') {
    if (CONTROL_OR_BLANK.test(value) || /[^\x21-\x7e]/.test(value)) {
      throw new HttpError('invalid_input', 'a bearer value must be printable ASCII without spaces');
    }
    return `Bearer ${value}`;
  }
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw new HttpError('invalid_input', 'a basic value must be name:password (both non-empty)');
  }
  if (CONTROL.test(value)) throw new HttpError('invalid_input', 'a basic value must not contain control characters');
  return `Basic ${Buffer.from(value, 'utf8').toString('base64')}`;
}
