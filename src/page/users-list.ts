import { HttpError } from '../http/http-error.js';
import { sendJson } from '../http/send.js';
import type { PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';

/** Most users offered at once; `q` narrows the list (searched by the database). */
const MAX_USERS = 1000;
const MAX_SEARCH = 200;

/**
 * `GET /tokengate/api/users[?q=]` — active users a token can be made for (administrators only):
 * username and display name, nothing else; at most 1000, by username, `q` searching username,
 * email and display name.
 */
export async function listUsers(call: SignedInRequest, deps: PageDeps): Promise<void> {
  if (!call.user.admin) throw new HttpError('forbidden', 'only administrators choose the user of a token');
  const values = call.canonical.query.get('q');
  const search = (values?.[values.length - 1] ?? '').trim();
  if (search.length > MAX_SEARCH)
    throw new HttpError('invalid_input', `the search text must be at most ${MAX_SEARCH} characters`);
  const users = (await deps.store.pageUsers({ activeOnly: true, search, startAt: 0, maxResults: MAX_USERS })).map(
    (u) => ({ username: u.username, displayName: u.displayName }),
  );
  sendJson(call.res, 200, { status: 'ok', users });
}
