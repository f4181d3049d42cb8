import { exampleRequest } from '../snippets/example-request.js';
import { snippet, snippetAuth } from '../snippets/snippets.js';
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
    const request = exampleRequest(record.limitTo, deps.publicUrl, path);
    const code = snippet({
      lang,
      authType,
      baseUrl: deps.publicUrl,
      request,
      user: record.user,
      secret,
      label: record.label,
    });
    return {
      status: 200,
      json: {
        status: 'ok',
        id,
        lang,
        authType,
        auth: snippetAuth(authType, record.user),
        secretIncluded: secret !== null,
        request: {
          ...request,
          query: request.query.map(([n, v]) => [n, v] as [string, string]),
          body: request.body ?? null,
        },
        code,
      },
    };
  },
);
