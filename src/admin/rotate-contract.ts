import { ADMIN_BASE } from '../http/paths.js';
import { ok, tokenViewSchema } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const ID_REQUIRED = 'id is required: the id of the token to rotate';

/**
 * `POST /rest/extender/1.0/tokenTools/rotate` with `{"id":"…","graceMinutes":N}` — a new token
 * with the same label, user, rules, limits, allow list and expiry, returned like `set` returns a
 * token; the old secret keeps working for the grace period (default 60 minutes, 0: at once).
 */
export const rotateContract = defineContract({
  method: 'POST',
  path: `${ADMIN_BASE}/rotate`,
  summary: 'Rotate a token: a new secret; the old one works only during the grace period',
  body: z.strictObject({
    id: z.string({ error: ID_REQUIRED }).min(1, ID_REQUIRED),
    graceMinutes: z
      .union([z.number(), z.string(), z.null()], { error: 'graceMinutes must be a whole number of minutes' })
      .optional()
      .meta({ description: 'minutes the old secret keeps working (default 60; 0: revoked at once)' }),
  }),
  responses: {
    200: {
      description: 'The new token, with its secret (shown once in secure mode)',
      schema: tokenViewSchema.extend({ status: ok, token: z.string(), rotatedFrom: z.string() }),
    },
  },
  errors: [400, 401, 403, 404],
});
