import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from './database.js';
import { likeContains } from './like-pattern.js';
import type { ListedTokenRecord, TokenPage, TokenPageQuery, TokenSort } from './models.js';
import { keyOf, num, toToken } from './rows.js';

type TokenEb = ExpressionBuilder<Database & { t: Database['tokens']; u: Database['users'] }, 't' | 'u'>;

/** Larger than every epoch-ms expiry: never-expiring tokens (0) sort after every dated one. */
const NEVER = 9_007_199_254_740_991;

/**
 * The SQL of each sort key. Each has an index (migration 0003) that starts with the same
 * expression, so a page is read from the index and never sorted in full.
 */
export function sortExpression(sort: TokenSort, table = 't'): Expression<unknown> {
  const c = (column: string) => sql.ref(`${table}.${column}`);
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

function where(eb: TokenEb, query: TokenPageQuery): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (query.user !== undefined) parts.push(eb('t.user_key', '=', keyOf(query.user)));
  const search = query.search ?? '';
  if (search !== '') {
    const pattern = likeContains(search);
    parts.push(
      eb.or([
        sql<SqlBool>`lower(${eb.ref('t.label')}) like ${pattern} escape '\\'`,
        sql<SqlBool>`${eb.ref('t.user_key')} like ${pattern} escape '\\'`,
        sql<SqlBool>`lower(${eb.ref('u.display_name')}) like ${pattern} escape '\\'`,
      ]),
    );
  }
  return eb.and(parts);
}

/** A select query that can be ordered by an expression (the page query and its inner id query). */
interface Orderable<Q> {
  orderBy(expression: Expression<unknown>, direction: 'asc' | 'desc'): Q;
}

function base(db: Kysely<Database>) {
  return db.selectFrom('tokens as t').leftJoin('users as u', 'u.username_key', 't.user_key');
}

/**
 * A page of tokens in SQL: the ids of the page are read from the sort key's index (a covering
 * index, so a deep OFFSET skips index entries, not rows), then only those rows are fetched.
 * `total` is an exact count of the matching tokens (an index count without a search).
 *
 * @example
 * await pageTokens(db, { search: 'ci', sort: 'label', startAt: 0, maxResults: 25 });
 */
export async function pageTokens(db: Kysely<Database>, query: TokenPageQuery): Promise<TokenPage> {
  const sort = query.sort ?? 'created';
  const descending = query.descending ?? sort === 'created';
  const dir = descending ? 'desc' : 'asc';
  const searching = (query.search ?? '') !== '';
  const order = <Q extends Orderable<Q>>(q: Q, table: string): Q =>
    q
      .orderBy(sortExpression(sort, table), dir)
      .orderBy(sql.ref(`${table}.date_created`), 'desc')
      .orderBy(sql.ref(`${table}.id`), 'asc');

  // without a search the inner query needs no join: it is read from the index alone
  const inner = searching
    ? order(
        base(db)
          .select('t.id')
          .where((eb) => where(eb as TokenEb, query)),
        't',
      )
    : order(
        db
          .selectFrom('tokens as t')
          .select('t.id')
          .$if(query.user !== undefined, (q) => q.where('t.user_key', '=', keyOf(query.user ?? ''))),
        't',
      );
  const pageIds = inner.limit(query.maxResults).offset(query.startAt);
  const rows = await order(
    base(db).selectAll('t').select('u.display_name as user_display_name').where('t.id', 'in', pageIds),
    't',
  ).execute();

  const counted = await (searching ? base(db).where((eb) => where(eb as TokenEb, query)) : db.selectFrom('tokens as t'))
    .$if(!searching && query.user !== undefined, (q) => q.where('t.user_key', '=', keyOf(query.user ?? '')))
    .select((eb) => eb.fn.countAll().as('total'))
    .executeTakeFirst();
  const tokens: ListedTokenRecord[] = rows.map((row) => ({
    ...toToken(row),
    userDisplayName: row.user_display_name ?? null,
  }));
  return { total: num(counted?.total), tokens };
}
