import { HttpError } from '../http/http-error.js';
import { sendJson } from '../http/send.js';
import type { PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';

/**
 * `GET /tokengate/api/users` — active users a token can be made for (administrators only):
 * username and display name, nothing else.
 */
export async function listUsers(call: SignedInRequest, deps: PageDeps): Promise<void> {
  if (!call.user.admin) throw new HttpError('forbidden', 'only administrators choose the user of a token');
  const users = (await deps.users.list())
    .filter((u) => u.active)
    .map((u) => ({ username: u.username, displayName: u.displayName }))
    .sort((a, b) => a.username.localeCompare(b.username, 'en', { sensitivity: 'base' }));
  sendJson(call.res, 200, { status: 'ok', users });
}
