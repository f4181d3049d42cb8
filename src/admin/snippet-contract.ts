import { ADMIN_BASE, DEFAULT_PROTECTED_PREFIX } from '../http/paths.js';
import { SNIPPET_LANGUAGES as SNIPPET_LANGS } from '../snippets/snippets.js';
import { authTypeSchema, ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const langSchema = z.enum(SNIPPET_LANGS);

/**
 * `GET /rest/extender/1.0/tokenTools/snippet?id=…&lang=curl|javascript|python|postman[&path=/rest/…]`
 * — ready-to-run code for a call the token allows (built from its first usable rule and checked
 * with the gateway's engine) and the current auth-method setting. The secret is filled in only
 * where it may be shown (standard mode, administrators); otherwise a clear placeholder.
 */
export const snippetContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/snippet`,
  summary: 'Ready-to-run code for a call the token allows, for the current auth-method setting',
  repeatedQuery: 'last',
  query: z.object({
    id: z.string({ error: 'id is required' }).min(1, 'id is required'),
    lang: z
      .string()
      .transform((lang) => lang.toLowerCase())
      .pipe(z.enum(SNIPPET_LANGS, { error: `lang must be one of ${SNIPPET_LANGS.join(', ')}` }))
      .default('curl')
      .meta({ description: `${SNIPPET_LANGS.join(', ')} (any case); default curl. postman: a collection (v2.1 JSON)` }),
    path: z
      .string()
      .startsWith(DEFAULT_PROTECTED_PREFIX, `path must start with ${DEFAULT_PROTECTED_PREFIX}`)
      .optional()
      .meta({ description: 'the path to call; default: one the token’s rules allow' }),
  }),
  responses: {
    200: {
      description: 'Code',
      schema: z.object({
        status: ok,
        id: z.string(),
        lang: langSchema,
        authType: authTypeSchema,
        auth: z.enum(['basic', 'bearer']).meta({ description: 'how the code authenticates' }),
        secretIncluded: z.boolean(),
        request: z.object({
          method: z.string(),
          path: z.string(),
          query: z.array(z.tuple([z.string(), z.string()])),
          body: z.record(z.string(), z.unknown()).nullable().meta({ description: 'the JSON body, or null for none' }),
          line: z.number().int().meta({ description: 'the rule line it was built from; 0 for none' }),
          allowed: z.boolean().meta({ description: 'the token’s rules allow this call' }),
          problem: z.string().nullable().meta({ description: 'why no allowed call could be built, or null' }),
        }),
        code: z.string(),
      }),
    },
  },
  errors: [400, 401, 403, 404],
});
