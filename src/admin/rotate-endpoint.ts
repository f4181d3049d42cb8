import { defineEndpoint } from './admin-endpoint.js';
import { rotateContract } from './rotate-contract.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * Rotates a token (see {@link rotateContract}).
 *
 * @example
 * curl -u admin:TOKEN -H 'Content-Type: application/json' -d '{"id":"…","graceMinutes":30}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/rotate
 */
export const rotateEndpoint = defineEndpoint(rotateContract).handledBy(
  async ({ body, actor, recordAdmin }, deps: TokenToolsDeps) => {
    const { record, secret, old } = await deps.tokens.rotate(body.id, body.graceMinutes, actor);
    recordAdmin({
      action: `token rotated (was ${old.id})`,
      tokenId: record.id,
      tokenLabel: record.label,
      extraSecrets: [secret],
    });
    const view = await deps.tokens.toPublicView(record, { includeSecret: false });
    return { status: 200, json: { status: 'ok', ...view, token: secret, rotatedFrom: old.id } };
  },
);
