import { sendJson } from '../http/send.js';
import { pageExpiringDays } from './me.js';
import type { PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';
import { expiryRange, type ListedToken, parseTokenQuery } from './token-query.js';

/**
 * `GET /tokengate/api/tokens?q=&sort=&dir=&expiry=&startAt=&maxResults=` — the tokens the user
 * may see (visibility is `TokenService.page`'s, the same as `tokenTools/get`'s), searched by
 * label or user, filtered by expiry (`expired`, or `expiring` within the page's window), sorted
 * and paged by the database, so only one page of rows is ever read. Secrets are
 * never part of the list.
 */
export async function listTokens(call: SignedInRequest, deps: PageDeps): Promise<void> {
  const query = parseTokenQuery(call.canonical.query);
  const validUntil =
    query.expiry === null
      ? undefined
      : expiryRange(query.expiry, { now: deps.now(), expiringDays: pageExpiringDays(deps) });
  const { expiry: _filter, ...paging } = query;
  const result = await deps.tokens.page(call.user, { ...paging, ...(validUntil !== undefined && { validUntil }) });
  const filtered = query.search !== '' || validUntil !== undefined;
  const overall = filtered ? (await deps.tokens.page(call.user, { startAt: 0, maxResults: 1 })).total : result.total;
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
    expiry: query.expiry,
    tokens,
  });
}
