import { HttpError } from '../http/http-error.js';
import { SNIPPET_LANGUAGES, type SnippetLanguage, snippet } from '../snippets/snippets.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { stringParam } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

/**
 * `GET /rest/extender/1.0/tokenTools/snippet?id=…&lang=curl|javascript|python[&path=/rest/…]` —
 * ready-to-run code for the current auth-method setting. The secret is filled in only where it
 * may be shown (standard mode, administrators); otherwise a clear placeholder.
 *
 * @example
 * curl -u admin:TOKEN 'https://gate.example.com/rest/extender/1.0/tokenTools/snippet?id=ID&lang=curl'
 */
export const snippetEndpoint: AdminEndpoint<TokenToolsDeps & { readonly publicUrl: string }> = {
  method: 'GET',
  path: `${TOKEN_TOOLS}/snippet`,
  async handle(req, deps) {
    const id = stringParam(req.query, 'id');
    if (id === undefined || id === '') throw new HttpError('invalid_input', 'id is required');
    const lang = (stringParam(req.query, 'lang') ?? 'curl').toLowerCase();
    if (!SNIPPET_LANGUAGES.includes(lang as SnippetLanguage)) {
      throw new HttpError('invalid_input', `lang must be one of ${SNIPPET_LANGUAGES.join(', ')}`);
    }
    const path = stringParam(req.query, 'path') ?? '/rest/api/space';
    if (!path.startsWith('/rest/')) throw new HttpError('invalid_input', 'path must start with /rest/');
    const record = await deps.tokens.get(id, req.actor);
    const view = await deps.tokens.toPublicView(record, { includeSecret: req.actor.admin });
    const secret = typeof view.token === 'string' ? view.token : null;
    const authType = deps.settings().authType;
    const code = snippet({
      lang: lang as SnippetLanguage,
      authType,
      baseUrl: deps.publicUrl,
      path,
      user: record.user,
      secret,
    });
    return { status: 200, json: { status: 'ok', id, lang, authType, secretIncluded: secret !== null, code } };
  },
};
