import { ADMIN_BASE } from '../http/paths.js';
import { ok, tokenViewSchema } from './admin-schemas.js';
import { defineContract, wholeNumberParam, z } from './endpoint-contract.js';

/**
 * `GET /rest/extender/1.0/tokenTools/get[?startAt=&maxResults=]` — the tokens the caller may see
 * (administrators: all; others: their own), newest first, in Extender's shape. The secret is
 * included only for administrators in standard mode.
 */
export const getTokensContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/get`,
  summary: 'List tokens (administrators: all; others: their own), newest first',
  repeatedQuery: 'last',
  query: z.object({
    startAt: wholeNumberParam('startAt', 0, 1_000_000_000, 0),
    maxResults: wholeNumberParam('maxResults', 1, 1000, 50),
  }),
  responses: {
    200: {
      description: 'A page of tokens',
      schema: z.object({
        status: ok,
        total: z.number().int(),
        pages: z.number().int(),
        startAt: z.number().int(),
        maxResults: z.number().int(),
        tokens: z.array(tokenViewSchema),
      }),
    },
  },
  errors: [400, 401, 403],
});
