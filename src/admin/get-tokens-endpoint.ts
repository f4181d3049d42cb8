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
    const all = await deps.tokens.list(actor);
    const page = all.slice(startAt, startAt + maxResults);
    const displayNames = new Map((await deps.store.listUsers()).map((u) => [u.username.toLowerCase(), u.displayName]));
    const tokens = await Promise.all(
      page.map(async (record) => ({
        ...(await deps.tokens.toPublicView(record, { includeSecret: actor.admin })),
        userDisplayName: record.user === null ? null : (displayNames.get(record.user.toLowerCase()) ?? record.user),
      })),
    );
    return {
      status: 200,
      json: { status: 'ok', total: all.length, pages: Math.ceil(all.length / maxResults), startAt, maxResults, tokens },
    };
  },
);
