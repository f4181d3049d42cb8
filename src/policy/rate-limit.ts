import { HttpError } from '../http/http-error.js';

/** A token's rate limit: at most `limit` calls per fixed window of `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
  /** Normalised text, `N/unit`, as stored and shown. */
  readonly text: string;
}

const UNITS: Readonly<Record<string, number>> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Largest N accepted (a window count must fit comfortably in an integer column). */
export const MAX_RATE = 1_000_000_000;

const RATE_LIMIT_MESSAGE = 'rateLimit must be "N/second", "N/minute", "N/hour" or "N/day" with N a whole number from 1';
const SHAPE = /^\s*(\d{1,10})\s*\/\s*(second|minute|hour|day)\s*$/i;

/** Parses `N/second|minute|hour|day`; null when absent or empty. @throws HttpError 400 */
export function parseRateLimitInput(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new HttpError('invalid_input', RATE_LIMIT_MESSAGE);
  const match = SHAPE.exec(value);
  if (match === null) throw new HttpError('invalid_input', RATE_LIMIT_MESSAGE);
  const limit = Number(match[1]);
  if (limit < 1 || limit > MAX_RATE) throw new HttpError('invalid_input', RATE_LIMIT_MESSAGE);
  return `${limit}/${(match[2] ?? '').toLowerCase()}`;
}

/** The stored text as a {@link RateLimit}; null for none (or, defensively, a text that does not parse). */
export function rateLimitOf(text: string | null | undefined): RateLimit | null {
  if (text === null || text === undefined || text === '') return null;
  const match = SHAPE.exec(text);
  if (match === null) return null;
  const windowMs = UNITS[(match[2] ?? '').toLowerCase()];
  if (windowMs === undefined) return null;
  return { limit: Number(match[1]), windowMs, text };
}
