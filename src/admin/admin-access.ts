import { ADMIN_BASE } from '../http/paths.js';
import type { RuleSet } from '../restrictions/types.js';
import type { TokenRecord } from '../store/models.js';

/**
 * The tokenTools endpoints a *restricted* token may call, and only when one of its rules names
 * the endpoint. They read and never change anything, never return a secret (a secret is a token:
 * more than the caller has), so no call to them can yield a stronger token. `get` and `snippet`
 * are not here: for administrators they include secrets.
 * Any endpoint not listed — every endpoint added later — needs an unrestricted bound token.
 */
const READ_ONLY_FOR_RESTRICTED: ReadonlySet<string> = new Set([
  `POST ${ADMIN_BASE}/check`,
  `GET ${ADMIN_BASE}/settings`,
  `GET ${ADMIN_BASE}/audit`,
  `GET ${ADMIN_BASE}/auditStats`,
]);

/** What the gateway knows about the token of an admin API call. */
export interface AdminCaller {
  readonly token: Pick<TokenRecord, 'user'>;
  readonly ruleSet: RuleSet;
  /** The rule line that allowed the call (0: the token is unrestricted). */
  readonly line: number;
}

/** `a\/b` → `a/b`: a regex may escape the slashes of the path it names. */
function unescapeSlashes(source: string): string {
  return source.replaceAll('\\/', '/');
}

/**
 * The privilege rule of the admin API — "no token can obtain more than it has" — for one call
 * that already authenticated and passed the token's own rules: the reason it is refused (403),
 * or null when it may go on.
 *
 * - An unbound token never uses the admin API: it may act as any user, so it would lend an
 *   administrator's rights to whoever holds it.
 * - An unrestricted token bound to its user may do what that user may do (the page session too,
 *   which does not come through here).
 * - A restricted token may call only the read-only endpoints above, and only when the rule that
 *   allowed the call names the endpoint literally (`…/tokenTools/check` in its URL regex): a
 *   broad rule such as `.*\/rest/extender/.*` meant for another Extender endpoint grants nothing.
 *   Since none of those endpoints creates, changes or reveals a token, a restricted token can never
 *   mint or uncover one (the rule-subset question never arises).
 *
 * @example
 * adminAccessRefusal('POST', `${ADMIN_BASE}/set`, { token, ruleSet, line: 1 }) // 'restricted tokens cannot …'
 */
export function adminAccessRefusal(method: string, path: string, caller: AdminCaller): string | null {
  if (caller.token.user === null) {
    return 'an unbound token cannot use the admin API (tokenTools): use an unrestricted token bound to you, or the web page';
  }
  if (caller.ruleSet.rules.length === 0) return null;
  const name = path.startsWith(`${ADMIN_BASE}/`) ? path.slice(ADMIN_BASE.length + 1) : path;
  if (!READ_ONLY_FOR_RESTRICTED.has(`${method} ${path}`)) {
    return `a restricted token cannot call tokenTools/${name}: managing tokens and settings needs an unrestricted token bound to you, or the web page`;
  }
  const rule = caller.ruleSet.rules.find((r) => r.line === caller.line);
  const url = rule?.parts.find((part) => part.kind.name === 'url') as
    | { readonly pattern?: { source: string } }
    | undefined;
  if (url?.pattern === undefined || !unescapeSlashes(url.pattern.source).includes(`tokenTools/${name}`)) {
    return `a restricted token may call tokenTools/${name} only when the rule that allows the call names it (…/tokenTools/${name})`;
  }
  return null;
}
