import { sendJson } from '../http/send.js';
import type { PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';
import { type ListedToken, parseTokenQuery } from './token-query.js';

/**
 * `GET /tokengate/api/tokens?q=&sort=&dir=&startAt=&maxResults=` — the tokens the user may see
 * (visibility is `TokenService.page`'s, the same as `tokenTools/get`'s), searched by label or
 * user, sorted and paged by the database, so only one page of rows is ever read. Secrets are
 * never part of the list.
 */
export async function listTokens(call: SignedInRequest, deps: PageDeps): Promise<void> {
  const query = parseTokenQuery(call.canonical.query);
  const result = await deps.tokens.page(call.user, query);
  const overall =
    query.search === '' ? result.total : (await deps.tokens.page(call.user, { startAt: 0, maxResults: 1 })).total;
  const tokens: ListedToken[] = result.tokens.map((record) => ({
    ...deps.tokens.toPublicView(record, { includeSecret: false }),
    userDisplayName: record.user === null ? null : (record.userDisplayName ?? record.user),
  }));
  sendJson(call.res, 200, {
    status: 'ok',
    total: result.total,
    totalIsLowerBound: result.totalIsLowerBound,
    overall,
    startAt: query.startAt,
    maxResults: query.maxResults,
    sort: query.sort,
    dir: query.descending ? 'desc' : 'asc',
    tokens,
  });
}
