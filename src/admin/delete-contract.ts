import { ADMIN_BASE } from '../http/paths.js';
import { ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const ID_REQUIRED = 'id is required: the id of the token to delete';

/**
 * `DELETE /rest/extender/1.0/tokenTools/delete` with `{"id":"…"}` — revokes a token at once
 * on every node. Administrators delete any token, others their own.
 */
export const deleteContract = defineContract({
  method: 'DELETE',
  path: `${ADMIN_BASE}/delete`,
  summary: 'Delete (revoke) a token',
  body: z.strictObject({ id: z.string({ error: ID_REQUIRED }).min(1, ID_REQUIRED) }),
  responses: { 200: { description: 'Deleted', schema: z.object({ status: ok }) } },
  errors: [400, 401, 403, 404],
});
