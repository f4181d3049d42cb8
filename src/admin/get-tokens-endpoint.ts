import { defineEndpoint } from './admin-endpoint.js';
import { getTokensContract } from './get-tokens-contract.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * The tokens the caller may see, a page at a time (see {@link getTokensContract}).
 *
 * @example
 * curl -u admin:TOKEN https://gate.example.com/rest/extender/1.0/tokenTools/get?maxResults=10
 */
export const getTokensEndpoint = defineEndpoint(getTokensContract).handledBy(
  async ({ query, actor }, deps: TokenToolsDeps) => {
    const { startAt, maxResults } = query;
    // paged by the database: never more than one page of rows is read
    const page = await deps.tokens.page(actor, { startAt, maxResults });
    const tokens = await Promise.all(
      page.tokens.map(async (record) => ({
        ...(await deps.tokens.toPublicView(record, { includeSecret: actor.admin })),
        userDisplayName: record.user === null ? null : (record.userDisplayName ?? record.user),
      })),
    );
    return {
      status: 200,
      json: { status: 'ok', total: page.total, pages: Math.ceil(page.total / maxResults), startAt, maxResults, tokens },
    };
  },
);
