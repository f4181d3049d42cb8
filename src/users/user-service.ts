import { HttpError } from '../http/http-error.js';
import { tokenEvent } from '../policy/webhooks/token-event.js';
import type { User } from '../store/models.js';
import { DuplicateUserError, type Store } from '../store/store.js';
import { hashPassword, validatePassword, verifyPassword } from './password.js';
import { parseDisplayName, parseEmail, parseUsername } from './user-input.js';

export interface AddUserInput {
  /** 1–255 characters, no whitespace, control characters or `:`; unique case-insensitively. */
  readonly username: string;
  readonly email?: string | null;
  readonly displayName?: string | null;
  /** Default false. */
  readonly admin?: boolean;
  /** Password for the web page (at least 8 characters); none by default. */
  readonly password?: string | null;
}

/** A fixed hash verified when a login names no user, so both cases take the same time. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function refuseInvalidPassword(password: string): void {
  const problem = validatePassword(password);
  if (problem !== null) throw new HttpError('invalid_input', problem);
}

/**
 * Users: creation with validation, listing, enabling/disabling (a disabled user's tokens stop
 * working at once on every node), passwords for the web page. Errors are `HttpError`s.
 *
 * @example
 * const alice = await users.add({ username: 'alice', email: 'alice@example.com', admin: true });
 * await users.disable('alice');
 */
export class UserService {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(deps: { readonly store: Store; readonly now?: () => number }) {
    this.#store = deps.store;
    this.#now = deps.now ?? Date.now;
  }

  /** Creates a user. @throws HttpError 400 (invalid field), 409 (username or email taken) */
  async add(input: AddUserInput): Promise<User> {
    const username = parseUsername(input.username);
    const email = parseEmail(input.email);
    const displayName = parseDisplayName(input.displayName);
    const password = input.password ?? null;
    if (password !== null) refuseInvalidPassword(password);
    // A username must not be another user's email, nor an email another user's name: USER in
    // `USER:TOKEN` may be either, and must name exactly one user.
    if ((await this.#store.findUser(username, true)) !== undefined) {
      throw new HttpError('conflict', `a user with the username or email ${JSON.stringify(username)} already exists`);
    }
    if (email !== null && (await this.#store.findUser(email, true)) !== undefined) {
      throw new HttpError('conflict', `a user with the username or email ${JSON.stringify(email)} already exists`);
    }
    const passwordHash = password === null ? null : await hashPassword(password);
    try {
      return await this.#store.createUser({
        username,
        email,
        displayName,
        admin: input.admin ?? false,
        active: true,
        passwordHash,
      });
    } catch (err) {
      if (err instanceof DuplicateUserError) throw new HttpError('conflict', err.message);
      throw err;
    }
  }

  /** Every user. */
  list(): Promise<User[]> {
    return this.#store.listUsers();
  }

  /** The user with this username or email (case-insensitive), or undefined. */
  find(nameOrEmail: string): Promise<User | undefined> {
    return this.#store.findUser(nameOrEmail, true);
  }

  /** The user with this username or email. @throws HttpError 404 */
  async get(nameOrEmail: string): Promise<User> {
    const user = await this.find(nameOrEmail);
    if (user === undefined) throw new HttpError('user_not_found', `user ${JSON.stringify(nameOrEmail)} does not exist`);
    return user;
  }

  /** Disables a user: their tokens stop working at once. @throws HttpError 404 */
  disable(nameOrEmail: string): Promise<User> {
    return this.#setActive(nameOrEmail, false);
  }

  /** Enables a disabled user again. @throws HttpError 404 */
  enable(nameOrEmail: string): Promise<User> {
    return this.#setActive(nameOrEmail, true);
  }

  /** Sets (or, with null, removes) the web-page password. @throws HttpError 400, 404 */
  async setPassword(nameOrEmail: string, password: string | null): Promise<void> {
    const user = await this.get(nameOrEmail);
    if (password !== null) refuseInvalidPassword(password);
    const hash = password === null ? null : await hashPassword(password);
    if (!(await this.#store.setUserPassword(user.username, hash))) {
      throw new HttpError('user_not_found', `user ${JSON.stringify(nameOrEmail)} does not exist`);
    }
  }

  /** How many tokens are bound to this user. @throws HttpError 404 */
  async tokenCount(nameOrEmail: string): Promise<number> {
    const user = await this.get(nameOrEmail);
    return (await this.#store.listTokens(user.username)).length;
  }

  /**
   * Deletes a user and every token bound to them (revoked at once on every node), with a
   * `token.deleted` event for each (`by`: who deleted the user). Returns the user and how many
   * tokens went. @throws HttpError 404
   */
  async delete(nameOrEmail: string, by: string): Promise<{ user: User; tokens: number }> {
    const user = await this.get(nameOrEmail);
    const now = this.#now();
    const deleted = await this.#store.deleteUser(user.username, (tokens) =>
      tokens.map((token) => tokenEvent('token.deleted', token, now, { by, reason: 'user deleted' })),
    );
    if (deleted === undefined)
      throw new HttpError('user_not_found', `user ${JSON.stringify(nameOrEmail)} does not exist`);
    return { user: deleted.user, tokens: deleted.tokens.length };
  }

  /** The active user whose password this is, or undefined (same work whether or not the user exists). */
  async checkPassword(nameOrEmail: string, password: string): Promise<User | undefined> {
    const user = await this.find(nameOrEmail);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user?.active === true && user.passwordHash !== null ? user : undefined;
  }

  async #setActive(nameOrEmail: string, active: boolean): Promise<User> {
    const user = await this.get(nameOrEmail);
    if (!(await this.#store.setUserActive(user.username, active))) {
      throw new HttpError('user_not_found', `user ${JSON.stringify(nameOrEmail)} does not exist`);
    }
    return { ...user, active };
  }
}
