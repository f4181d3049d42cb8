import { HttpError } from '../http/http-error.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { refuseUnknownKeys, requireObject } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

/**
 * `DELETE /rest/extender/1.0/tokenTools/delete` with `{"id":"…"}` — revokes a token at once
 * on every node. Administrators delete any token, others their own.
 *
 * @example
 * curl -u admin:TOKEN -X DELETE -H 'Content-Type: application/json' -d '{"id":"…"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/delete
 */
export const deleteEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'DELETE',
  path: `${TOKEN_TOOLS}/delete`,
  async handle(req, deps) {
    const body = requireObject(await req.json());
    refuseUnknownKeys(body, new Set(['id']));
    if (typeof body.id !== 'string' || body.id === '')
      throw new HttpError('invalid_input', 'id is required: the id of the token to delete');
    const record = await deps.tokens.delete(body.id, req.actor);
    req.recordAdmin({ action: 'token deleted', tokenId: record.id, tokenLabel: record.label });
    return { status: 200, json: { status: 'ok' } };
  },
};
