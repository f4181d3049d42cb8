/**
 * The token list's filters and their place in the address (`?q=&sort=&dir=&expiry=&startAt=&maxResults=`,
 * the names the list API takes), so a filtered list can be reloaded, linked and bookmarked.
 */
import type { ExpiryFilter, SortKey } from './types.js';

export interface TokenFilters {
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly expiry: ExpiryFilter;
  readonly startAt: number;
  readonly pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const SORTS: readonly SortKey[] = ['created', 'label', 'user', 'expiry', 'lastUsed', 'calls'];
const DEFAULTS: TokenFilters = {
  search: '',
  sort: 'created',
  descending: true,
  expiry: '',
  startAt: 0,
  pageSize: 25,
};

/** Newest, most used and most recently used first; names and dates A→Z / soonest first. */
export function descendingByDefault(sort: SortKey): boolean {
  return sort === 'created' || sort === 'lastUsed' || sort === 'calls';
}

/**
 * The filters in an address's query; anything unknown or malformed falls back to its default.
 *
 * @example
 * filtersOf('?expiry=expiring&sort=expiry') // { …, sort: 'expiry', descending: false, expiry: 'expiring' }
 */
export function filtersOf(search: string): TokenFilters {
  const params = new URLSearchParams(search);
  const sortText = params.get('sort') ?? '';
  const sort = (SORTS as readonly string[]).includes(sortText) ? (sortText as SortKey) : DEFAULTS.sort;
  const dir = params.get('dir');
  const expiryText = params.get('expiry') ?? '';
  const startText = params.get('startAt') ?? '';
  const size = Number(params.get('maxResults'));
  return {
    search: params.get('q') ?? '',
    sort,
    descending: dir === 'desc' ? true : dir === 'asc' ? false : descendingByDefault(sort),
    expiry: expiryText === 'expired' || expiryText === 'expiring' ? expiryText : '',
    startAt: /^\d{1,9}$/.test(startText) ? Number(startText) : 0,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULTS.pageSize,
  };
}

/** The query (with `?`, or '' when every filter is at its default) that {@link filtersOf} reads back. */
export function searchOf(filters: TokenFilters): string {
  const params = new URLSearchParams();
  if (filters.search.trim() !== '') params.set('q', filters.search.trim());
  if (filters.sort !== DEFAULTS.sort || filters.descending !== descendingByDefault(filters.sort)) {
    params.set('sort', filters.sort);
    params.set('dir', filters.descending ? 'desc' : 'asc');
  }
  if (filters.expiry !== '') params.set('expiry', filters.expiry);
  if (filters.startAt > 0) params.set('startAt', String(filters.startAt));
  if (filters.pageSize !== DEFAULTS.pageSize) params.set('maxResults', String(filters.pageSize));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
