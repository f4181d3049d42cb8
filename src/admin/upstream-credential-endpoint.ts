import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';
import { parseUpstreamCredentialType } from '../users/upstream-credential-input.js';
import type { AdminEndpoint, AdminRequest } from './admin-endpoint.js';
import { refuseUnknownKeys, requireObject } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

export const UPSTREAM_CREDENTIAL_PATH = `${TOKEN_TOOLS}/upstreamCredential`;

/** The user whose credential the call changes: `userName`, default the caller; others' only for administrators. */
function targetUser(body: Record<string, unknown>, actor: User): string {
  const named = body.userName;
  if (named !== undefined && (typeof named !== 'string' || named === '')) {
    throw new HttpError('invalid_input', 'userName must be a non-empty string (or left out for yourself)');
  }
  const userName = named ?? actor.username;
  if (userName.toLowerCase() !== actor.username.toLowerCase() && !actor.admin) {
    throw new HttpError('forbidden', "only administrators can set or clear another user's upstream credential");
  }
  return userName;
}

async function body(req: AdminRequest, known: readonly string[]): Promise<Record<string, unknown>> {
  const parsed = requireObject(await req.json());
  refuseUnknownKeys(parsed, new Set(known));
  return parsed;
}

/**
 * `POST /rest/extender/1.0/tokenTools/upstreamCredential` with `{"userName"?, "type": "bearer"|"basic",
 * "value"}` — sets the user's own upstream credential (a user their own, an administrator
 * anybody's; `userName` defaults to the caller). The value is sealed at rest and never shown,
 * logged or audited again.
 *
 * @example
 * curl -u alice:TOKEN -H 'Content-Type: application/json' -d '{"type":"bearer","value":"<PAT>"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/upstreamCredential
 */
export const setUpstreamCredentialEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'POST',
  path: UPSTREAM_CREDENTIAL_PATH,
  async handle(req, deps) {
    const parsed = await body(req, ['userName', 'type', 'value']);
    const userName = targetUser(parsed, req.actor);
    const type = parseUpstreamCredentialType(parsed.type);
    const value = parsed.value;
    if (typeof value !== 'string' || value === '')
      throw new HttpError('invalid_input', 'value must be a non-empty string');
    await deps.upstreamCredentials.set(userName, type, value);
    req.recordAdmin({ action: `upstream credential (${type}) set for ${userName}`, extraSecrets: [value] });
    return { status: 200, json: { status: 'ok', userName, type } };
  },
};

/**
 * `DELETE /rest/extender/1.0/tokenTools/upstreamCredential` with `{"userName"?}` — removes it;
 * the user's token calls then use `upstream.credentials` again (if configured).
 */
export const clearUpstreamCredentialEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'DELETE',
  path: UPSTREAM_CREDENTIAL_PATH,
  async handle(req, deps) {
    const parsed = await body(req, ['userName']);
    const userName = targetUser(parsed, req.actor);
    const removed = await deps.upstreamCredentials.clear(userName);
    req.recordAdmin({ action: `upstream credential cleared for ${userName}` });
    return { status: 200, json: { status: 'ok', userName, removed } };
  },
};
