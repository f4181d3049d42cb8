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
  if (unknown.length > 0) {
    throw new HttpError(
      'invalid_input',
      `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => JSON.stringify(k.slice(0, 64))).join(', ')}`,
    );
  }
}

/** A single query parameter parsed as a non-negative integer within bounds, or the default. */
export function intParam(
  query: ReadonlyMap<string, readonly string[]>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const values = query.get(name);
  if (values === undefined || values.length === 0) return fallback;
  const text = values[values.length - 1] ?? '';
  if (!/^\d{1,9}$/.test(text)) throw new HttpError('invalid_input', `${name} must be a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new HttpError('invalid_input', `${name} must be between ${min} and ${max}`);
  return value;
}

/** One query parameter's last value, or undefined. */
export function stringParam(query: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  const values = query.get(name);
  return values === undefined ? undefined : values[values.length - 1];
}
