import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import { type AuditBranch, auditWhere, visibilityBranches } from './audit-where.js';
import type { AuditTable, Database } from './database.js';
import type { AuditFilter } from './models.js';

/** Where a page starts: an offset, or strictly after a (time, id) position (keyset). */
export interface AuditPageRange {
  readonly limit: number;
  readonly offset?: number;
  readonly after?: { readonly time: number; readonly id: number };
}

/** One page's query: to run here, or to compile and run elsewhere (the SQLite thread's export). */
export interface AuditPageQuery {
  compile(): CompiledQuery<Selectable<AuditTable>>;
  execute(): Promise<Selectable<AuditTable>[]>;
}

function branchQuery(db: Kysely<Database>, filter: AuditFilter, range: AuditPageRange, branch?: AuditBranch) {
  const after = range.after;
  return db
    .selectFrom('audit')
    .selectAll()
    .where((eb) => auditWhere(eb, filter, branch))
    .$if(after !== undefined, (q) =>
      q.where((eb) => eb(eb.refTuple('time', 'id'), '<', eb.tuple(after?.time ?? 0, after?.id ?? 0))),
    )
    .orderBy('time', 'desc')
    .orderBy('id', 'desc');
}

/**
 * One page of audit rows, newest first (`time` then `id` descending). A visibility filter
 * (`ownUser` / `tokenIds`, "either") is read as a UNION of one index-ordered, limited branch per
 * token and one for the user, so no branch has to be sorted in full.
 *
 * @example
 * const rows = await auditPage(db, { decision: 'denied' }, { limit: 50, offset: 0 });
 */
export async function auditPage(
  db: Kysely<Database>,
  filter: AuditFilter,
  range: AuditPageRange,
): Promise<Selectable<AuditTable>[]> {
  return (await auditPageQuery(db, filter, range)?.execute()) ?? [];
}

/** A page of audit rows as a query (see {@link auditPage}); undefined when nothing can match. */
export function auditPageQuery(
  db: Kysely<Database>,
  filter: AuditFilter,
  range: AuditPageRange,
): AuditPageQuery | undefined {
  const offset = range.offset ?? 0;
  const branches = visibilityBranches(filter);
  if (branches === undefined) {
    return branchQuery(db, filter, range).limit(range.limit).offset(offset);
  }
  if (branches.length === 0 || range.limit <= 0) return undefined;
  const each = offset + range.limit;
  const [first, ...rest] = branches.map((branch) =>
    db.selectFrom(branchQuery(db, filter, range, branch).limit(each).as('b')).selectAll(),
  );
  if (first === undefined) return undefined;
  const union = rest.reduce((all, next) => all.union(next), first);
  return db
    .selectFrom(union.as('u'))
    .selectAll()
    .orderBy('time', 'desc')
    .orderBy('id', 'desc')
    .limit(range.limit)
    .offset(offset);
}
