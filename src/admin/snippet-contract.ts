import { ADMIN_BASE } from '../http/paths.js';
import { SNIPPET_LANGUAGES as SNIPPET_LANGS } from '../snippets/snippets.js';
import { authTypeSchema, ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const langSchema = z.enum(SNIPPET_LANGS);

/**
 * `GET /rest/extender/1.0/tokenTools/snippet?id=…&lang=curl|javascript|python[&path=/rest/…]` —
 * ready-to-run code for the current auth-method setting. The secret is filled in only where it
 * may be shown (standard mode, administrators); otherwise a clear placeholder.
 */
export const snippetContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/snippet`,
  summary: 'Ready-to-run code for a token and the current auth-method setting',
  repeatedQuery: 'last',
  query: z.object({
    id: z.string({ error: 'id is required' }).min(1, 'id is required'),
    lang: z
      .string()
      .transform((lang) => lang.toLowerCase())
      .pipe(z.enum(SNIPPET_LANGS, { error: `lang must be one of ${SNIPPET_LANGS.join(', ')}` }))
      .default('curl')
      .meta({ description: `${SNIPPET_LANGS.join(', ')} (any case); default curl` }),
    path: z
      .string()
      .startsWith('/rest/', 'path must start with /rest/')
      .default('/rest/api/space')
      .meta({ description: 'the call to show; default /rest/api/space' }),
  }),
  responses: {
    200: {
      description: 'Code',
      schema: z.object({
        status: ok,
        id: z.string(),
        lang: langSchema,
        authType: authTypeSchema,
        secretIncluded: z.boolean(),
        code: z.string(),
      }),
    },
  },
  errors: [400, 401, 403, 404],
});
