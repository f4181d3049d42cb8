import { HttpError } from '../http/http-error.js';

/** The body as a plain JSON object, or 400. */
export function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError('invalid_json', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Refuses keys that the endpoint does not know, naming them. */
export function refuseUnknownKeys(body: Record<string, unknown>, known: ReadonlySet<string>): void {
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new HttpError('invalid_input', unknownFieldsMessage(unknown));
}

/** `unknown field: "x"` / `unknown fields: "x", "y"` (names shortened). */
export function unknownFieldsMessage(keys: readonly string[]): string {
  return `unknown field${keys.length > 1 ? 's' : ''}: ${keys.map((k) => JSON.stringify(k.slice(0, 64))).join(', ')}`;
}
