import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';
import { defineEndpoint } from './admin-endpoint.js';
import type { TokenToolsDeps } from './token-tools-deps.js';
import { clearUpstreamCredentialContract, setUpstreamCredentialContract } from './upstream-credential-contract.js';

/** The user whose credential the call changes: `userName`, default the caller; others' only for administrators. */
function targetUser(named: string | undefined, actor: User): string {
  const userName = named ?? actor.username;
  if (userName.toLowerCase() !== actor.username.toLowerCase() && !actor.admin) {
    throw new HttpError('forbidden', "only administrators can set or clear another user's upstream credential");
  }
  return userName;
}

/**
 * Sets a user's own upstream credential (see {@link setUpstreamCredentialContract}); the value
 * is scrubbed from the audit record and never returned.
 *
 * @example
 * curl -u alice:TOKEN -H 'Content-Type: application/json' -d '{"type":"bearer","value":"<PAT>"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/upstreamCredential
 */
export const setUpstreamCredentialEndpoint = defineEndpoint(setUpstreamCredentialContract).handledBy(
  async ({ body, actor, recordAdmin }, deps: TokenToolsDeps) => {
    const userName = targetUser(body.userName, actor);
    await deps.upstreamCredentials.set(userName, body.type, body.value);
    recordAdmin({ action: `upstream credential (${body.type}) set for ${userName}`, extraSecrets: [body.value] });
    return { status: 200, json: { status: 'ok', userName, type: body.type } };
  },
);

/** Removes it (see {@link clearUpstreamCredentialContract}). */
export const clearUpstreamCredentialEndpoint = defineEndpoint(clearUpstreamCredentialContract).handledBy(
  async ({ body, actor, recordAdmin }, deps: TokenToolsDeps) => {
    const userName = targetUser(body.userName, actor);
    const removed = await deps.upstreamCredentials.clear(userName);
    recordAdmin({ action: `upstream credential cleared for ${userName}` });
    return { status: 200, json: { status: 'ok', userName, removed } };
  },
);
