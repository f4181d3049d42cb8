import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from './database.js';
import type { AuditFilter } from './models.js';
import { keyOf } from './rows.js';

type AuditEb = ExpressionBuilder<Database, 'audit'>;

/** One arm of the visibility condition ("own user" or one of the token ids). */
export interface AuditBranch {
  readonly userKey?: string;
  readonly tokenId?: string;
}

/** Above this many token ids, visibility is one `IN (…)` condition instead of one branch each. */
export const MAX_BRANCHES = 64;

/**
 * The arms of `ownUser` / `tokenIds` ("either"), so that each can be read newest-first from its
 * own index and the results merged: undefined when the filter has no visibility condition or too
 * many token ids; an empty list when it can match nothing.
 */
export function visibilityBranches(filter: AuditFilter): AuditBranch[] | undefined {
  if (filter.ownUser === undefined && filter.tokenIds === undefined) return undefined;
  const tokenIds = [...new Set(filter.tokenIds ?? [])];
  if (tokenIds.length > MAX_BRANCHES) return undefined;
  const branches: AuditBranch[] = tokenIds.map((tokenId) => ({ tokenId }));
  if (filter.ownUser !== undefined) branches.push({ userKey: keyOf(filter.ownUser) });
  return branches;
}

/**
 * The WHERE condition of an audit filter: `tokenId`, `decision` exact; `user`, `ownUser`
 * case-insensitive; `from` ≤ time ≤ `to`; `path` a prefix (compared exactly, no LIKE wildcards);
 * `tokenIds` and `ownUser` together mean "either" (an empty `tokenIds` alone matches nothing).
 * With `branch`, the visibility condition is replaced by that one arm.
 *
 * When a token or user narrows the search, the decision is compared as `decision || ''` so the
 * planner reads the (far more selective) token or user index instead of the decision index.
 *
 * @example
 * db.selectFrom('audit').where((eb) => auditWhere(eb, { decision: 'denied', from: 0 }))
 */
export function auditWhere(eb: AuditEb, filter: AuditFilter, branch?: AuditBranch): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filter.tokenId !== undefined) parts.push(eb('token_id', '=', filter.tokenId));
  if (filter.user !== undefined) parts.push(eb('user_key', '=', keyOf(filter.user)));
  if (filter.from !== undefined) parts.push(eb('time', '>=', filter.from));
  if (filter.to !== undefined) parts.push(eb('time', '<=', filter.to));
  if (filter.path !== undefined) {
    const prefix = filter.path;
    parts.push(sql<SqlBool>`substr(${eb.ref('path')}, 1, length(cast(${prefix} as text))) = ${prefix}`);
  }
  if (branch !== undefined) {
    if (branch.tokenId !== undefined) parts.push(eb('token_id', '=', branch.tokenId));
    if (branch.userKey !== undefined) parts.push(eb('user_key', '=', branch.userKey));
  } else if (filter.ownUser !== undefined || filter.tokenIds !== undefined) {
    parts.push(visibility(eb, filter));
  }
  if (filter.decision !== undefined) {
    const narrowed =
      filter.tokenId !== undefined ||
      filter.user !== undefined ||
      branch !== undefined ||
      filter.ownUser !== undefined ||
      filter.tokenIds !== undefined;
    parts.push(
      narrowed
        ? sql<SqlBool>`(${eb.ref('decision')} || '') = ${filter.decision}`
        : eb('decision', '=', filter.decision),
    );
  }
  return eb.and(parts);
}

function visibility(eb: AuditEb, filter: AuditFilter): Expression<SqlBool> {
  const arms: Expression<SqlBool>[] = [];
  if (filter.ownUser !== undefined) arms.push(eb('user_key', '=', keyOf(filter.ownUser)));
  if (filter.tokenIds !== undefined && filter.tokenIds.length > 0) {
    arms.push(eb('token_id', 'in', [...filter.tokenIds]));
  }
  return arms.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(arms);
}
