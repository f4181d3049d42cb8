import { ADMIN_BASE } from '../http/paths.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { intParam } from './request-body.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

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
  path: `${ADMIN_BASE}/get`,
  async handle(req, deps) {
    const startAt = intParam(req.query, 'startAt', 0, 0, 1_000_000_000);
    const maxResults = intParam(req.query, 'maxResults', 50, 1, 1000);
    const all = await deps.tokens.list(req.actor);
    const page = all.slice(startAt, startAt + maxResults);
    const displayNames = new Map((await deps.store.listUsers()).map((u) => [u.username.toLowerCase(), u.displayName]));
    const tokens = await Promise.all(
      page.map(async (record) => ({
        ...(await deps.tokens.toPublicView(record, { includeSecret: req.actor.admin })),
        userDisplayName: record.user === null ? null : (displayNames.get(record.user.toLowerCase()) ?? record.user),
      })),
    );
    return {
      status: 200,
      json: {
        status: 'ok',
        total: all.length,
        pages: Math.ceil(all.length / maxResults),
        startAt,
        maxResults,
        tokens,
      },
    };
  },
};
