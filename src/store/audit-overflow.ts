import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { num } from './rows.js';

/**
 * Splits `count` rows into statements of a power-of-two size at most `largest`: a batch of any
 * size uses at most log2(largest) + 1 distinct statement texts, so each is prepared once and
 * reused (a text per exact batch size was prepared anew for nearly every batch).
 */
export function auditChunks(count: number, largest: number): [start: number, rows: number][] {
  let size = 1;
  while (size * 2 <= largest) size *= 2;
  const chunks: [number, number][] = [];
  let start = 0;
  while (start < count) {
    while (size > count - start) size /= 2;
    chunks.push([start, size]);
    start += size;
  }
  return chunks;
}

/** The lowest and highest audit id (null on an empty table). */
export function auditIdBoundsQuery(db: Kysely<Database>) {
  // Two sub-queries, not min() and max() in one select: SQLite reads one end of an index only for
  // a lone min() or max(); both together scan the table (76 ms at 520,000 rows, on every batch).
  return db.selectNoFrom((eb) => [
    eb
      .selectFrom('audit')
      .select((audit) => audit.fn.min('id').as('v'))
      .as('oldest'),
    eb
      .selectFrom('audit')
      .select((audit) => audit.fn.max('id').as('v'))
      .as('newest'),
  ]);
}

/**
 * Deletes the oldest audit rows (by id: insertion order) beyond the newest `maxRows` ids, at most
 * `limit` of them; returns how many. Ids only grow, so `id <= max(id) - maxRows` leaves at most
 * `maxRows` rows; min and max of the key are index look-ups, never a scan of the table.
 */
export async function overflowDelete(db: Kysely<Database>, maxRows: number, limit: number): Promise<number> {
  const bounds = await auditIdBoundsQuery(db).executeTakeFirst();
  if (bounds?.newest == null || bounds.oldest == null) return 0;
  const cutoff = num(bounds.newest) - maxRows;
  if (num(bounds.oldest) > cutoff) return 0;
  const result = await db
    .deleteFrom('audit')
    .where('id', 'in', (eb) =>
      eb.selectFrom('audit').select('id').where('id', '<=', cutoff).orderBy('id').limit(Math.max(1, limit)),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
