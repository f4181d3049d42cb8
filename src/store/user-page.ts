import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from './database.js';
import { likeContains } from './like-pattern.js';
import type { User, UserPageQuery } from './models.js';
import { toUser } from './rows.js';

/**
 * A page of users by username (the primary key's order), searched in SQL: never every row.
 *
 * @example
 * await pageUsers(db, { activeOnly: true, search: 'ann', startAt: 0, maxResults: 100 }, 1);
 */
export async function pageUsers(
  db: Kysely<Database>,
  query: UserPageQuery,
  trueValue: number | boolean,
): Promise<User[]> {
  const search = query.search ?? '';
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => {
      const parts: Expression<SqlBool>[] = [];
      if (query.activeOnly === true) parts.push(eb('active', '=', trueValue));
      if (search !== '') {
        const pattern = likeContains(search);
        parts.push(
          eb.or([
            sql<SqlBool>`${eb.ref('username_key')} like ${pattern} escape '\\'`,
            sql<SqlBool>`${eb.ref('email_key')} like ${pattern} escape '\\'`,
            sql<SqlBool>`lower(${eb.ref('display_name')}) like ${pattern} escape '\\'`,
          ]),
        );
      }
      return eb.and(parts);
    })
    .orderBy('username_key')
    .limit(query.maxResults)
    .offset(query.startAt)
    .execute();
  return rows.map(toUser);
}
