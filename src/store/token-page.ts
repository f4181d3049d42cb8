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
    const arms = containsText(eb.ref('t.label'), eb.ref('t.user_key'), search);
    if (namedUsers.length > 0) arms.push(eb('t.user_key', 'in', [...namedUsers]));
    parts.push(eb.or(arms));
  }
  return eb.and(parts);
}

/** The search's test of one token: its label (lower-cased) or its bound user contains `search`. */
function containsText(
  label: Expression<string>,
  userKey: Expression<string | null>,
  search: string,
): Expression<SqlBool>[] {
  const pattern = likeContains(search);
  return [
    sql<SqlBool>`lower(${label}) like ${pattern} escape '\\'`,
    sql<SqlBool>`${userKey} like ${pattern} escape '\\'`,
  ];
}

/** The number of tokens, from the row the triggers keep (migration 0007). */
async function tokenCount(db: Kysely<Database>): Promise<number> {
  return num((await db.selectFrom('token_count').select('n').where('id', '=', 0).executeTakeFirst())?.n);
}

/** A select query that can be ordered by an expression (the page query and its inner id query). */
interface Orderable<Q> {
  orderBy(expression: Expression<unknown>, direction: 'asc' | 'desc'): Q;
}

type Direction = 'asc' | 'desc';

/** The page's order (sort key, then newest first, then id); `reversed` flips every term. */
function orderer(sort: TokenSort, descending: boolean, reversed: boolean) {
  const flip = (d: Direction): Direction => (reversed ? (d === 'asc' ? 'desc' : 'asc') : d);
  return <Q extends Orderable<Q>>(q: Q): Q => {
    const bySort = q.orderBy(sortExpression(sort), flip(descending ? 'desc' : 'asc'));
    // a repeated date_created term would make SQLite sort instead of reading the index in order
    const byCreated = sort === 'created' ? bySort : bySort.orderBy(sql.ref('t.date_created'), flip('desc'));
    return byCreated.orderBy(sql.ref('t.id'), flip('asc'));
  };
}

/**
 * A page of tokens in SQL, never loading every row.
 *
 * Optionally only tokens whose expiry is in a range (the page's "expired" and "expiring"
 * filters).
 *
 * Without a search: `total` is exact (the trigger-kept `token_count` row, or a count of one
 * user's or one expiry range's tokens), and the page's ids come from the sort key's covering index with OFFSET. A page in the
 * second half is read from the other end in reverse order, so the deepest pages are as cheap as
 * the first and the worst is the middle.
 *
 * With a search: see {@link searchIds}. Only the page's rows are then read in full, with their
 * user's display name.
 *
 * @example
 * await pageTokens(db, 'sqlite', { search: 'ci', sort: 'label', startAt: 0, maxResults: 25 });
 */
export async function pageTokens(
  db: Kysely<Database>,
  dialect: SearchDialect,
  query: TokenPageQuery,
): Promise<TokenPage> {
  const sort = query.sort ?? 'created';
  const descending = query.descending ?? sort === 'created';
  const order = orderer(sort, descending, false);
  const found =
    (query.search ?? '') === ''
      ? await listIds(db, query, sort, descending)
      : await searchIds(db, dialect, query, order);
  const { ids, total, totalIsLowerBound } = found;
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

interface FoundIds {
  readonly ids: string[];
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}

async function listIds(
  db: Kysely<Database>,
  query: TokenPageQuery,
  sort: TokenSort,
  descending: boolean,
): Promise<FoundIds> {
  const visible = db.selectFrom('tokens as t').where((eb) => where(eb as unknown as TokenEb, query, []));
  const total =
    query.user === undefined && query.validUntil === undefined
      ? await tokenCount(db)
      : num((await visible.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst())?.total);
  const wanted = Math.min(query.maxResults, total - query.startAt);
  if (wanted <= 0) return { ids: [], total, totalIsLowerBound: false };
  const fromEnd = total - query.startAt - wanted;
  const reversed = fromEnd < query.startAt;
  const rows = await orderer(
    sort,
    descending,
    reversed,
  )(visible.select('t.id'))
    .limit(wanted)
    .offset(reversed ? fromEnd : query.startAt)
    .execute();
  const ids = rows.map((r) => r.id);
  if (reversed) ids.reverse();
  return { ids, total, totalIsLowerBound: false };
}

/** Which substring index a search may use (see migration 0007). */
export type SearchDialect = 'sqlite' | 'postgres';

/**
 * At most this many candidates from the substring index are sorted in full; a text with more
 * matches is common, and the scan in index order then meets its page's matches soon.
 */
export const SEARCH_CANDIDATE_LIMIT = 20_000;

/** The trigram index finds texts of this many characters or more. */
const TRIGRAM = 3;

/**
 * The ids of one page of a search and its `total`. Matches are collected in page order up to
 * {@link SEARCH_COUNT_BEYOND_PAGE} past the page (`total` is exact below that bound, else the
 * bound with `totalIsLowerBound`). The display-name part looks in the (small) users table first,
 * so the token query needs no join.
 *
 * Plans: PostgreSQL leaves it to the planner (pg_trgm GIN indexes, or an index-order scan when
 * the text is common; a rare 1–2 character text is a full scan there). SQLite first counts the
 * candidates in `tokens_search` (FTS5 trigram, at most {@link SEARCH_CANDIDATE_LIMIT}; for 1–2
 * characters see {@link sqliteCandidates}); when there are few, only those rows are read and
 * sorted. Otherwise the tokens are scanned in index order until enough matches are seen, which
 * is quick for a common text. The LIKE test always decides, so every plan returns exactly the
 * same tokens.
 */
async function searchIds(
  db: Kysely<Database>,
  dialect: SearchDialect,
  query: TokenPageQuery,
  order: <Q extends Orderable<Q>>(q: Q) => Q,
): Promise<FoundIds> {
  const search = query.search ?? '';
  const named = (
    await db
      .selectFrom('users')
      .select('username_key')
      .where(sql<SqlBool>`lower(display_name) like ${likeContains(search)} escape '\\'`)
      .limit(MAX_NAME_MATCHES)
      .execute()
  ).map((u) => u.username_key);
  const cap = query.startAt + query.maxResults + SEARCH_COUNT_BEYOND_PAGE;
  const candidates = dialect === 'sqlite' ? await sqliteCandidates(db, search, named) : undefined;
  const matching = await order(
    db
      .selectFrom('tokens as t')
      .select('t.id')
      .where((eb) => where(eb as unknown as TokenEb, query, named))
      .$if(candidates !== undefined, (q) =>
        q.where((eb) => {
          const arms: Expression<SqlBool>[] = [sql<SqlBool>`t.rowid in (${candidates})`];
          if (named.length > 0) arms.push(eb('t.user_key', 'in', named));
          return eb.or(arms);
        }),
      ),
  )
    .limit(cap + 1)
    .execute();
  return {
    ids: matching.slice(query.startAt, query.startAt + query.maxResults).map((r) => r.id),
    total: Math.min(matching.length, cap),
    totalIsLowerBound: matching.length > cap,
  };
}

/** A quoted FTS5 phrase: the text literally (a double quote is doubled). */
function phrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Printable ASCII of 1–2 characters: JavaScript and the trigram tokenizer fold its case alike. */
const SHORT_ASCII = /^[\x20-\x7e]{1,2}$/;
/** A short text that starts more trigrams than this is common: the scan in index order finds it soon. */
const MAX_SHORT_TERMS = 500;
/** Rows a short text's frequency is sampled from (the first rows of the table). */
const SHORT_SAMPLE_ROWS = 20_000;

/**
 * SQLite: the candidate rowids of a search (see {@link fewCandidates}), or undefined for a scan
 * in index order. 3+ characters: the trigram phrase. 1–2 ASCII characters (migration 0009): the
 * trigrams that start with the text, found by range in `tokens_search_terms`, when a sample of
 * the first rows says the text is rare (counting a common text's trigrams would cost more than
 * the scan, which meets its matches soon).
 */
async function sqliteCandidates(
  db: Kysely<Database>,
  search: string,
  named: readonly string[],
): Promise<Expression<unknown> | undefined> {
  const text = search.toLowerCase();
  if ([...text].length >= TRIGRAM) return fewCandidates(db, phrase(text), named);
  if (!SHORT_ASCII.test(text) || !(await rareInSample(db, search))) return undefined;
  const terms = await sql<{ term: string }>`select term from tokens_search_terms where term >= ${text}
    and term < ${`${text}\u{10FFFF}`} limit ${MAX_SHORT_TERMS + 1}`.execute(db);
  if (terms.rows.length > MAX_SHORT_TERMS) return undefined;
  const match = terms.rows.length === 0 ? null : terms.rows.map((r) => phrase(r.term)).join(' OR ');
  return fewCandidates(db, match, named);
}

/**
 * Whether `search` matches few enough of the first {@link SHORT_SAMPLE_ROWS} tokens that, at
 * that rate over every token, its candidates stay within {@link SEARCH_CANDIDATE_LIMIT}.
 */
async function rareInSample(db: Kysely<Database>, search: string): Promise<boolean> {
  const sample = await db
    .selectFrom((q) => q.selectFrom('tokens').select(['label', 'user_key']).limit(SHORT_SAMPLE_ROWS).as('s'))
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.or(containsText(eb.ref('s.label'), eb.ref('s.user_key'), search)))
    .executeTakeFirst();
  const all = await tokenCount(db);
  const sampled = Math.min(all, SHORT_SAMPLE_ROWS);
  return sampled === 0 || (num(sample?.n) * all) / sampled <= SEARCH_CANDIDATE_LIMIT;
}

/**
 * SQLite: the `tokens_search` rowids that `match` (an FTS5 query; null: none) finds — a superset
 * of the LIKE test: the trigram index folds case at least as widely as SQLite's `lower` — as a
 * list to select from, when they and the named users' tokens number at most
 * {@link SEARCH_CANDIDATE_LIMIT}; else undefined. The match runs once: its rowids come back as
 * one JSON array with their count (a subquery ran it a second time for the page; a text whose
 * trigrams are common, `user12`'s `use` and `ser`, spends much of its time there).
 */
async function fewCandidates(
  db: Kysely<Database>,
  match: string | null,
  named: readonly string[],
): Promise<Expression<unknown> | undefined> {
  // one row: the count and the rowids as JSON text, built by SQLite (never a row per candidate)
  const none = { n: 0, ids: '[]' };
  const found =
    match === null
      ? none
      : ((
          await sql<{ n: number; ids: string }>`select count(*) as n, json_group_array(c.id) as ids from
            (select rowid as id from tokens_search where tokens_search match ${match} limit ${SEARCH_CANDIDATE_LIMIT + 1}) as c`.execute(
            db,
          )
        ).rows[0] ?? none);
  let count = num(found.n);
  if (count <= SEARCH_CANDIDATE_LIMIT && named.length > 0) {
    const ofNamed = await db
      .selectFrom((q) =>
        q
          .selectFrom('tokens')
          .select('id')
          .where('user_key', 'in', [...named])
          .limit(SEARCH_CANDIDATE_LIMIT + 1)
          .as('n'),
      )
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    count += num(ofNamed?.n);
  }
  return count <= SEARCH_CANDIDATE_LIMIT ? sql`select value from json_each(${found.ids})` : undefined;
}
