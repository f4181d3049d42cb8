import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from './database.js';
import { likeContains } from './like-pattern.js';
import type { ListedTokenRecord, TokenPage, TokenPageQuery, TokenSort } from './models.js';
import { keyOf, num, toToken } from './rows.js';

type TokenEb = ExpressionBuilder<Database & { t: Database['tokens'] }, 't'>;

/** Larger than every epoch-ms expiry: never-expiring tokens (0) sort after every dated one. */
const NEVER = 9_007_199_254_740_991;

/**
 * The SQL of each sort key. Each has an index (migration 0003) that starts with the same
 * expression, so a page is read from the index and never sorted in full.
 */
export function sortExpression(sort: TokenSort): Expression<unknown> {
  const c = (column: string) => sql.ref(`t.${column}`);
  switch (sort) {
    case 'label':
      return sql`lower(${c('label')})`;
    case 'user':
      // unbound tokens ("any user") sort first
      return sql`coalesce(${c('user_key')}, '')`;
    case 'created':
      return c('date_created');
    case 'expiry':
      return sql`(case when ${c('valid_until')} = 0 then ${sql.lit(NEVER)} else ${c('valid_until')} end)`;
    case 'lastUsed':
      return c('last_used');
    case 'calls':
      return c('counter');
  }
}

/** Users whose display name contains the search text are found first (the users table is small). */
const MAX_NAME_MATCHES = 1000;
/** A search counts its matches up to this many past the page's end (then "at least"). */
export const SEARCH_COUNT_BEYOND_PAGE = 1000;

function where(eb: TokenEb, query: TokenPageQuery, namedUsers: readonly string[]): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (query.user !== undefined) parts.push(eb('t.user_key', '=', keyOf(query.user)));
  if (query.validUntil !== undefined) {
    parts.push(eb('t.valid_until', '>', query.validUntil.above), eb('t.valid_until', '<=', query.validUntil.atMost));
  }
  const search = query.search ?? '';
  if (search !== '') {
    const pattern = likeContains(search);
    const arms: Expression<SqlBool>[] = [
      sql<SqlBool>`lower(${eb.ref('t.label')}) like ${pattern} escape '\\'`,
      sql<SqlBool>`${eb.ref('t.user_key')} like ${pattern} escape '\\'`,
    ];
    if (namedUsers.length > 0) arms.push(eb('t.user_key', 'in', [...namedUsers]));
    parts.push(eb.or(arms));
  }
  return eb.and(parts);
}

/** A select query that can be ordered by an expression (the page query and its inner id query). */
interface Orderable<Q> {
  orderBy(expression: Expression<unknown>, direction: 'asc' | 'desc'): Q;
}

/**
 * A page of tokens in SQL, optionally only those whose expiry is in a range (the page's
 * "expired" and "expiring" filters). Without a search, the ids of the page are read from the sort key's
 * index (covering, so a deep OFFSET skips index entries, not rows) and `total` is an exact
 * count. With a search, one scan in index order collects the matching ids up to
 * {@link SEARCH_COUNT_BEYOND_PAGE} past the page (it stops there): the page is cut from them and
 * `total` is exact below that bound, else the bound with `totalIsLowerBound`. The display-name
 * part of a search looks in the (small) users table first, so the token scan needs no join.
 * Only the page's rows are then read in full, with their user's display name.
 *
 * @example
 * await pageTokens(db, { search: 'ci', sort: 'label', startAt: 0, maxResults: 25 });
 */
export async function pageTokens(db: Kysely<Database>, query: TokenPageQuery): Promise<TokenPage> {
  const sort = query.sort ?? 'created';
  const descending = query.descending ?? sort === 'created';
  const dir = descending ? 'desc' : 'asc';
  const search = query.search ?? '';
  const order = <Q extends Orderable<Q>>(q: Q): Q =>
    q.orderBy(sortExpression(sort), dir).orderBy(sql.ref('t.date_created'), 'desc').orderBy(sql.ref('t.id'), 'asc');

  let ids: string[];
  let total: number;
  let totalIsLowerBound = false;
  if (search === '') {
    const visible = db.selectFrom('tokens as t').where((eb) => where(eb as unknown as TokenEb, query, []));
    const rows = await order(visible.select('t.id')).limit(query.maxResults).offset(query.startAt).execute();
    ids = rows.map((r) => r.id);
    const counted = await visible.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst();
    total = num(counted?.total);
  } else {
    const named = await db
      .selectFrom('users')
      .select('username_key')
      .where(sql<SqlBool>`lower(display_name) like ${likeContains(search)} escape '\\'`)
      .limit(MAX_NAME_MATCHES)
      .execute();
    const cap = query.startAt + query.maxResults + SEARCH_COUNT_BEYOND_PAGE;
    const matching = await order(
      db
        .selectFrom('tokens as t')
        .select('t.id')
        .where((eb) =>
          where(
            eb as unknown as TokenEb,
            query,
            named.map((u) => u.username_key),
          ),
        ),
    )
      .limit(cap + 1)
      .execute();
    totalIsLowerBound = matching.length > cap;
    total = Math.min(matching.length, cap);
    ids = matching.slice(query.startAt, query.startAt + query.maxResults).map((r) => r.id);
  }
  if (ids.length === 0) return { total, totalIsLowerBound, tokens: [] };
  const rows = await order(
    db
      .selectFrom('tokens as t')
      .leftJoin('users as u', 'u.username_key', 't.user_key')
      .selectAll('t')
      .select('u.display_name as user_display_name')
      .where('t.id', 'in', ids),
  ).execute();
  const tokens: ListedTokenRecord[] = rows.map((row) => ({
    ...toToken(row),
    userDisplayName: row.user_display_name ?? null,
  }));
  return { total, totalIsLowerBound, tokens };
}
