import { defineEndpoint } from './admin-endpoint.js';
import { deleteContract } from './delete-contract.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * Revokes a token at once on every node (see {@link deleteContract}).
 *
 * @example
 * curl -u admin:TOKEN -X DELETE -H 'Content-Type: application/json' -d '{"id":"…"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/delete
 */
export const deleteEndpoint = defineEndpoint(deleteContract).handledBy(
  async ({ body, actor, recordAdmin }, deps: TokenToolsDeps) => {
    const record = await deps.tokens.delete(body.id, actor);
    recordAdmin({ action: 'token deleted', tokenId: record.id, tokenLabel: record.label });
    return { status: 200, json: { status: 'ok' } };
  },
);
