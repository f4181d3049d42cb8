import { ADMIN_BASE } from '../http/paths.js';
import { ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

export const UPSTREAM_CREDENTIAL_PATH = `${ADMIN_BASE}/upstreamCredential`;

const userName = z
  .string({ error: 'userName must be a non-empty string (or left out for yourself)' })
  .min(1, 'userName must be a non-empty string (or left out for yourself)')
  .optional()
  .meta({ description: 'default: the caller; somebody else only for administrators' });

/**
 * `POST /rest/extender/1.0/tokenTools/upstreamCredential` with `{"userName"?, "type", "value"}` —
 * sets a user's own upstream credential (a Bearer access token, or Basic `name:password`), used
 * for that user's token calls instead of the fixed one. Sealed at rest, never shown again.
 */
export const setUpstreamCredentialContract = defineContract({
  method: 'POST',
  path: UPSTREAM_CREDENTIAL_PATH,
  summary: "Set a user's own upstream credential (yourself; administrators: anybody). Never shown again",
  body: z.strictObject({
    userName,
    type: z.enum(['bearer', 'basic'], { error: 'type must be "bearer" (an access token) or "basic" (name:password)' }),
    value: z
      .string({ error: 'value must be a non-empty string' })
      .min(1, 'value must be a non-empty string')
      .meta({ description: 'an access token (bearer) or name:password (basic)', writeOnly: true }),
  }),
  responses: {
    200: {
      description: 'Set',
      schema: z.object({ status: ok, userName: z.string(), type: z.enum(['bearer', 'basic']) }),
    },
  },
  errors: [400, 401, 403, 404],
});

/** `DELETE` on the same path with `{"userName"?}` — removes it (the fixed credential applies again). */
export const clearUpstreamCredentialContract = defineContract({
  method: 'DELETE',
  path: UPSTREAM_CREDENTIAL_PATH,
  summary: "Remove a user's own upstream credential (yourself; administrators: anybody)",
  body: z.strictObject({ userName }),
  responses: {
    200: {
      description: 'Removed (removed: false when there was none)',
      schema: z.object({ status: ok, userName: z.string(), removed: z.boolean() }),
    },
  },
  errors: [400, 401, 403, 404],
});
