import { snippet } from '../snippets/snippets.js';
import { defineEndpoint } from './admin-endpoint.js';
import { snippetContract } from './snippet-contract.js';
import type { AdminEndpointDeps } from './token-tools-deps.js';

/**
 * Ready-to-run code for a token (see {@link snippetContract}).
 *
 * @example
 * curl -u admin:TOKEN 'https://gate.example.com/rest/extender/1.0/tokenTools/snippet?id=ID&lang=curl'
 */
export const snippetEndpoint = defineEndpoint(snippetContract).handledBy(
  async ({ query, actor }, deps: AdminEndpointDeps) => {
    const { id, lang, path } = query;
    const record = await deps.tokens.get(id, actor);
    const view = await deps.tokens.toPublicView(record, { includeSecret: actor.admin });
    const secret = typeof view.token === 'string' ? view.token : null;
    const authType = deps.settings().authType;
    const code = snippet({ lang, authType, baseUrl: deps.publicUrl, path, user: record.user, secret });
    return { status: 200, json: { status: 'ok', id, lang, authType, secretIncluded: secret !== null, code } };
  },
);
