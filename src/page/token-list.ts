import type { AdminEndpoint } from '../admin/admin-endpoint.js';
import type { ResponseOf } from '../admin/endpoint-contract.js';
import type { getTokensContract } from '../admin/get-tokens-contract.js';
import { sendJson } from '../http/send.js';
import { callEndpoint } from './admin-bridge.js';
import type { PageAdminDeps, PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';
import { applyTokenQuery, type ListedToken, parseTokenQuery } from './token-query.js';

/** Page size used to read every visible token through `tokenTools/get` (its maximum). */
const READ_PAGE = 1000;

type GetPage = ResponseOf<typeof getTokensContract>;

function asGetPage(json: unknown): GetPage {
  const page = json as Partial<GetPage> | null;
  if (page === null || typeof page !== 'object' || typeof page.total !== 'number' || !Array.isArray(page.tokens)) {
    throw new Error('tokenTools/get answered in an unexpected shape');
  }
  return page as GetPage;
}

/** The listed token without its secret: the page shows a secret only on an explicit "reveal". */
function withoutSecret(token: GetPage['tokens'][number]): ListedToken {
  const { token: _secret, ...rest } = token;
  return rest;
}

/**
 * `GET /tokengate/api/tokens?q=&sort=&dir=&startAt=&maxResults=` — the tokens the user may see
 * (read through `tokenTools/get`, so visibility rules are the endpoint's), searched by label or
 * user, sorted and paged here so the browser receives one page even with thousands of tokens.
 * Secrets are never part of the list.
 */
export async function listTokens(
  call: SignedInRequest,
  deps: PageDeps,
  adminDeps: PageAdminDeps,
  getEndpoint: AdminEndpoint<PageAdminDeps>,
): Promise<void> {
  const query = parseTokenQuery(call.canonical.query);
  const all: ListedToken[] = [];
  for (let startAt = 0; ; startAt += READ_PAGE) {
    const params = new Map([
      ['startAt', [String(startAt)]],
      ['maxResults', [String(READ_PAGE)]],
    ]);
    const response = await callEndpoint(getEndpoint, call, deps, adminDeps, params);
    if (!('json' in response)) throw new Error('tokenTools/get answered with a stream');
    const page = asGetPage(response.json);
    for (const token of page.tokens) all.push(withoutSecret(token));
    if (page.tokens.length < READ_PAGE || startAt + READ_PAGE >= page.total) break;
  }
  const result = applyTokenQuery(all, query);
  sendJson(call.res, 200, {
    status: 'ok',
    total: result.total,
    overall: all.length,
    startAt: query.startAt,
    maxResults: query.maxResults,
    sort: query.sort,
    dir: query.descending ? 'desc' : 'asc',
    tokens: result.tokens,
  });
}
