import { HttpError } from '../http/http-error.js';
import type { Store } from '../store/store.js';
import type { SecretBox } from '../tokens/secret-box.js';
import { type UpstreamCredentialType, upstreamAuthorization } from './upstream-credential-input.js';

/** Associated data of a sealed credential: a value copied to another user's row does not open there. */
function sealContext(username: string): string {
  return `upstream-credential:${username.toLowerCase()}`;
}

/**
 * Each user's own upstream credential (a Bearer access token such as an Atlassian personal access
 * token, or Basic name:password), used for that user's token calls instead of the fixed
 * `upstream.credentials`. Kept sealed with the encryption key in both modes; never returned, only
 * turned into the `Authorization` header the gateway sends.
 *
 * @example
 * await credentials.set('alice', 'bearer', pat);
 * await credentials.authorization('alice'); // 'Bearer …' (gateway only)
 */
export class UpstreamCredentialService {
  readonly #store: Store;
  readonly #box: SecretBox;
  readonly #now: () => number;

  constructor(deps: { readonly store: Store; readonly secretBox: SecretBox; readonly now: () => number }) {
    this.#store = deps.store;
    this.#box = deps.secretBox;
    this.#now = deps.now;
  }

  /** Sets (replaces) the user's credential. @throws HttpError 400 (invalid value), 404 (no such user) */
  async set(username: string, type: UpstreamCredentialType, value: string): Promise<void> {
    upstreamAuthorization(type, value); // validates; the header is rebuilt on use
    const user = await this.#store.findUser(username, true);
    if (user === undefined) throw new HttpError('user_not_found', `user ${JSON.stringify(username)} does not exist`);
    const sealed = this.#box.seal(JSON.stringify({ type, value }), sealContext(user.username));
    if (!(await this.#store.setUpstreamCredential(user.username, { type, sealed, dateSet: this.#now() }))) {
      throw new HttpError('user_not_found', `user ${JSON.stringify(username)} does not exist`);
    }
  }

  /** Removes the user's credential; false when there was none. @throws HttpError 404 (no such user) */
  async clear(username: string): Promise<boolean> {
    const user = await this.#store.findUser(username, true);
    if (user === undefined) throw new HttpError('user_not_found', `user ${JSON.stringify(username)} does not exist`);
    return this.#store.setUpstreamCredential(user.username, null);
  }

  /** What the user holds, without the value: `{type, dateSet}` or null. */
  async describe(username: string): Promise<{ type: UpstreamCredentialType; dateSet: number } | null> {
    const stored = await this.#store.findUpstreamCredential(username);
    return stored === undefined ? null : { type: stored.type, dateSet: stored.dateSet };
  }

  /**
   * The `Authorization` header of the user's credential, or null when they hold none.
   * @throws SecretBoxError when it was sealed under another key (the call then fails closed)
   */
  async authorization(username: string): Promise<string | null> {
    const stored = await this.#store.findUpstreamCredential(username);
    if (stored === undefined) return null;
    const opened = JSON.parse(this.#box.open(stored.sealed, sealContext(username))) as {
      type: unknown;
      value: unknown;
    };
    if (opened.type !== stored.type) throw new Error('a stored upstream credential does not match its type');
    return upstreamAuthorization(stored.type, opened.value);
  }
}
