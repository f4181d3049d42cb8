import type { ResponseOf } from '../admin/endpoint-contract.js';
import type { getTokensContract } from '../admin/get-tokens-contract.js';
import { HttpError } from '../http/http-error.js';
import type { ValidUntilRange } from '../store/models.js';

/** A token as `tokenTools/get` lists it (the fields the page reads); never with its secret here. */
export type ListedToken = Omit<ResponseOf<typeof getTokensContract>['tokens'][number], 'token'>;

export const SORT_KEYS = ['label', 'user', 'created', 'expiry', 'lastUsed', 'calls'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The list's expiry filters (`expiry=` in the URL): already expired, or expiring soon. */
export const EXPIRY_FILTERS = ['expired', 'expiring'] as const;
export type ExpiryFilter = (typeof EXPIRY_FILTERS)[number];

const DAY_MS = 86_400_000;

/** Which tokens a filter keeps at `now`, with "soon" meaning within `expiringDays` days. */
export interface ExpiryWindow {
  readonly now: number;
  readonly expiringDays: number;
}

/**
 * The `validUntil` range of an expiry filter: expired is `0 < validUntil <= now` (as
 * authentication decides), expiring is `now < validUntil <= now + expiringDays`.
 *
 * @example
 * expiryRange('expiring', { now: 0, expiringDays: 7 }) // { above: 0, atMost: 604800000 }
 */
export function expiryRange(filter: ExpiryFilter, window: ExpiryWindow): ValidUntilRange {
  return filter === 'expired'
    ? { above: 0, atMost: window.now }
    : { above: window.now, atMost: window.now + window.expiringDays * DAY_MS };
}

/** What the page asks of the token list. */
export interface TokenQuery {
  /** Case-insensitive text found in the label, the user or the user's display name ('' = all). */
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  /** Only expired or only soon-expiring tokens; null: every token. */
  readonly expiry: ExpiryFilter | null;
  readonly startAt: number;
  readonly maxResults: number;
}

/** Longest accepted search text. */
const MAX_SEARCH = 200;
const MAX_PAGE = 200;

function last(query: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  const values = query.get(name);
  return values === undefined ? undefined : values[values.length - 1];
}

function wholeNumber(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new HttpError('invalid_input', `${name} must be a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new HttpError('invalid_input', `${name} must be between ${min} and ${max}`);
  return value;
}

/**
 * Reads `q`, `sort`, `dir`, `expiry` (`expired` or `expiring`; empty: all), `startAt` and
 * `maxResults` (1–200, default 25). Default order: newest first. @throws HttpError 400
 */
export function parseTokenQuery(query: ReadonlyMap<string, readonly string[]>): TokenQuery {
  const search = (last(query, 'q') ?? '').trim();
  if (search.length > MAX_SEARCH)
    throw new HttpError('invalid_input', `the search text must be at most ${MAX_SEARCH} characters`);
  const sortText = last(query, 'sort') ?? 'created';
  if (!(SORT_KEYS as readonly string[]).includes(sortText)) {
    throw new HttpError('invalid_input', `sort must be one of ${SORT_KEYS.join(', ')}`);
  }
  const dir = last(query, 'dir') ?? (sortText === 'created' ? 'desc' : 'asc');
  if (dir !== 'asc' && dir !== 'desc') throw new HttpError('invalid_input', 'dir must be asc or desc');
  const expiry = last(query, 'expiry') ?? '';
  if (expiry !== '' && !(EXPIRY_FILTERS as readonly string[]).includes(expiry)) {
    throw new HttpError('invalid_input', `expiry must be one of ${EXPIRY_FILTERS.join(', ')} (or empty for all)`);
  }
  return {
    search,
    sort: sortText as SortKey,
    descending: dir === 'desc',
    expiry: expiry === '' ? null : (expiry as ExpiryFilter),
    startAt: wholeNumber(last(query, 'startAt'), 'startAt', 0, 0, 1_000_000_000),
    maxResults: wholeNumber(last(query, 'maxResults'), 'maxResults', 25, 1, MAX_PAGE),
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Never-expiring tokens sort after every dated one (ascending). */
function expiryKey(token: ListedToken): number {
  return token.validUntil === 0 ? Number.MAX_SAFE_INTEGER : token.validUntil;
}

function compare(a: ListedToken, b: ListedToken, key: SortKey): number {
  switch (key) {
    case 'label':
      return collator.compare(a.label, b.label);
    case 'user':
      // unbound tokens ("any user") sort first
      return collator.compare(a.user ?? '', b.user ?? '');
    case 'created':
      return a.dateCreated - b.dateCreated;
    case 'expiry':
      return expiryKey(a) - expiryKey(b);
    case 'lastUsed':
      return a.lastUsed - b.lastUsed;
    case 'calls':
      return a.counter - b.counter;
  }
}

/**
 * Filters, sorts (stable; ties by creation, newest first) and pages the tokens; the expiry
 * filter is read at `window` (required when the query has one).
 *
 * @example
 * applyTokenQuery(all, { search: 'ci', sort: 'label', descending: false, expiry: null, startAt: 0, maxResults: 25 })
 * // { total: 3, tokens: [ …the 3 tokens whose label or user contains "ci" ] }
 */
export function applyTokenQuery<T extends ListedToken>(
  tokens: readonly T[],
  query: TokenQuery,
  window?: ExpiryWindow,
): { total: number; tokens: T[] } {
  const needle = query.search.toLowerCase();
  if (query.expiry !== null && window === undefined) throw new Error('an expiry filter needs a time window');
  const range = query.expiry === null || window === undefined ? undefined : expiryRange(query.expiry, window);
  const dated =
    range === undefined ? tokens : tokens.filter((t) => t.validUntil > range.above && t.validUntil <= range.atMost);
  const matching =
    needle === ''
      ? [...dated]
      : dated.filter(
          (t) =>
            t.label.toLowerCase().includes(needle) ||
            (t.user ?? '').toLowerCase().includes(needle) ||
            (t.userDisplayName ?? '').toLowerCase().includes(needle),
        );
  const sign = query.descending ? -1 : 1;
  matching.sort(
    (a, b) => sign * compare(a, b, query.sort) || b.dateCreated - a.dateCreated || collator.compare(a.id, b.id),
  );
  return { total: matching.length, tokens: matching.slice(query.startAt, query.startAt + query.maxResults) };
}
