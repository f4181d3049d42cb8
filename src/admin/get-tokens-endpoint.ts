import type { AdminEndpoint } from './admin-endpoint.js';
import { intParam } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

/**
 * `GET /rest/extender/1.0/tokenTools/get[?startAt=&maxResults=]` — the tokens the caller may see
 * (administrators: all; others: their own), newest first, in Extender's shape. The secret is
 * included only for administrators in standard mode.
 *
 * @example
 * curl -u admin:TOKEN https://gate.example.com/rest/extender/1.0/tokenTools/get?maxResults=10
 */
export const getTokensEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'GET',
  path: `${TOKEN_TOOLS}/get`,
  async handle(req, deps) {
    const startAt = intParam(req.query, 'startAt', 0, 0, 1_000_000_000);
    const maxResults = intParam(req.query, 'maxResults', 50, 1, 1000);
    // paged by the database: never more than one page of rows is read
    const page = await deps.tokens.page(req.actor, { startAt, maxResults });
    const tokens = await Promise.all(
      page.tokens.map(async (record) => ({
        ...(await deps.tokens.toPublicView(record, { includeSecret: req.actor.admin })),
        userDisplayName: record.user === null ? null : (record.userDisplayName ?? record.user),
      })),
    );
    return {
      status: 200,
      json: {
        status: 'ok',
        total: page.total,
        pages: Math.ceil(page.total / maxResults),
        startAt,
        maxResults,
        tokens,
      },
    };
  },
};
