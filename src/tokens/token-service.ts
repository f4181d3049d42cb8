import type { Config } from '../config/config.js';
import { HttpError } from '../http/http-error.js';
import { parseAllowedIpsInput } from '../policy/allowed-ips.js';
import { parseQuotaInput } from '../policy/quota.js';
import { parseRateLimitInput } from '../policy/rate-limit.js';
import { parseGraceMinutes } from '../policy/rotation.js';
import { isoOrNull, tokenEvent } from '../policy/webhooks/token-event.js';
import type { RuntimeSettings, TokenPage, TokenPageQuery, TokenRecord, User } from '../store/models.js';
import { DuplicateTokenError, type MetaCondition, MetaMismatchError, type Store } from '../store/store.js';
import type { Digester } from './digest.js';
import { validUntilFor } from './expiry.js';
import { stricterMaximum } from './expiry-policy.js';
import { generateSecret } from './secret.js';
import type { SecretBox } from './secret-box.js';
import { newTokenId } from './token-id.js';
import {
  parseCustomSecret,
  parseDaysUntilExpiry,
  parseLabel,
  parseLimitToInput,
  parseUserName,
} from './token-input.js';
import { type PublicTokenView, publicView } from './token-view.js';

export interface TokenServiceDeps {
  readonly store: Store;
  readonly config: Pick<Config, 'secureMode' | 'maxExpiryDays'>;
  readonly digest: Digester;
  readonly secretBox: SecretBox;
  readonly now: () => number;
  /**
   * The runtime settings shared by every node and the CLI (database). Their `maxExpiryDays`
   * applies with `config.maxExpiryDays`, the stricter of both. Default: none.
   */
  readonly settings?: () => Pick<RuntimeSettings, 'maxExpiryDays'>;
  /**
   * Condition a sealed secret is written under (the database records this process's encryption
   * key, see `sealCondition` in keys.ts); without it secrets are written unconditionally.
   */
  readonly sealCondition?: MetaCondition;
}

/**
 * What a caller asks for, with Extender's field names (`tokenTools/set`). Values come straight
 * from JSON or the command line and are validated here.
 */
export interface CreateTokenInput {
  /** Required, 1–255 characters after trimming. */
  readonly label?: unknown;
  /** Whole days (number or digit string); absent or 0 = never (unless the server sets a maximum). */
  readonly daysUntilExpiry?: unknown;
  /** User the token is bound to (case-insensitive); empty = unbound (admins) or the caller. */
  readonly userName?: unknown;
  /** Restriction rules, one per line (`\n`, `\\n` or `<br>`). */
  readonly limitTo?: unknown;
  /** Caller-chosen secret; empty = generated. */
  readonly token?: unknown;
  /** `N/second|minute|hour|day`; empty = no rate limit. */
  readonly rateLimit?: unknown;
  /** Total calls allowed; empty = no quota. */
  readonly quota?: unknown;
  /** Client addresses and CIDR ranges (lines or commas); empty = any address. */
  readonly allowedIps?: unknown;
}

export interface CreatedToken {
  readonly record: TokenRecord;
  /** The secret, to show once. */
  readonly secret: string;
}

/** Generated secrets retried on a digest collision (never expected with 190 random bits). */
const GENERATE_ATTEMPTS = 3;

function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The token model: creation (validation, generation, digest, sealing in standard mode), listing,
 * deletion, revealing the secret again, and the public view. Every error is an `HttpError`.
 * Administrators see and manage every token; other users only tokens bound to themselves.
 *
 * @example
 * const { record, secret } = await tokens.create({ label: 'ci', userName: 'ansible', daysUntilExpiry: 30 }, admin);
 * const views = (await tokens.list(admin)).map((t) => tokens.toPublicView(t, { includeSecret: false }));
 */
export class TokenService {
  readonly #deps: TokenServiceDeps;

  constructor(deps: TokenServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Creates a token for `actor`. Non-admins may only bind tokens to themselves (no user given
   * means themselves); admins may bind to any active user or leave the token unbound.
   *
   * @throws HttpError 400 (invalid field), 403 (not allowed), 404 (unknown user), 409 (secret in use)
   */
  /** The longest lifetime of a new token in days, as enforced now (null: no maximum). */
  maxExpiryDays(): number | null {
    return stricterMaximum(this.#deps.config.maxExpiryDays, this.#deps.settings?.().maxExpiryDays ?? null);
  }

  async create(input: CreateTokenInput, actor: User): Promise<CreatedToken> {
    const { store, config, now } = this.#deps;
    if (!actor.active) throw new HttpError('forbidden', 'your account is disabled');
    const label = parseLabel(input.label);
    const days = parseDaysUntilExpiry(input.daysUntilExpiry, this.maxExpiryDays());
    const user = await this.#boundUser(parseUserName(input.userName), actor);
    const limitTo = parseLimitToInput(input.limitTo);
    const custom = parseCustomSecret(input.token);
    // "already in use" for a chosen value would tell a guesser that someone's token is that value
    if (custom !== null && !actor.admin) {
      throw new HttpError(
        'forbidden',
        'only administrators can choose a token\u2019s value: leave token empty to have one generated',
      );
    }
    const rateLimit = parseRateLimitInput(input.rateLimit);
    const quota = parseQuotaInput(input.quota);
    const allowedIps = parseAllowedIpsInput(input.allowedIps);

    for (let attempt = 1; ; attempt++) {
      const secret = custom ?? generateSecret();
      const id = newTokenId();
      const dateCreated = now();
      const record: TokenRecord = {
        id,
        label,
        user,
        author: actor.username,
        limitTo,
        digest: this.#deps.digest(secret),
        secretCiphertext: config.secureMode ? null : this.#deps.secretBox.seal(secret, id),
        dateCreated,
        validUntil: validUntilFor(dateCreated, days),
        counter: 0,
        ip: null,
        lastUsed: 0,
        rateLimit,
        quota,
        quotaUsed: 0,
        allowedIps,
        lineageId: null,
      };
      try {
        const sealed = record.secretCiphertext !== null ? this.#deps.sealCondition : undefined;
        // the event is written in the token's transaction: no token without its event
        const created = tokenEvent('token.created', record, dateCreated, {
          author: record.author,
          validUntil: isoOrNull(record.validUntil),
        });
        await store.insertToken(record, sealed, [created]);
        return { record, secret };
      } catch (err) {
        if (err instanceof MetaMismatchError) {
          throw new HttpError(
            'internal_error',
            'the database records another encryption key than this node has (another node replaced it): start every node with the same TOKENGATE_ENCRYPTION_KEY; no token was created',
          );
        }
        if (!(err instanceof DuplicateTokenError)) throw err;
        if (custom !== null || attempt >= GENERATE_ATTEMPTS)
          throw new HttpError('conflict', 'this token value is already in use');
      }
    }
  }

  /**
   * Rotates a token: a new secret with the same label, user, rules, limits, allow list and expiry;
   * the old secret keeps working for `graceMinutes` (default 60; 0: revoked at once). The quota
   * carries over with the calls already used (a rotation never grants more calls).
   *
   * @throws HttpError 400 (bad grace, expired token), 403, 404
   */
  async rotate(id: unknown, graceMinutes: unknown, actor: User): Promise<CreatedToken & { readonly old: TokenRecord }> {
    const { store, config, now } = this.#deps;
    if (!actor.active) throw new HttpError('forbidden', 'your account is disabled');
    const grace = parseGraceMinutes(graceMinutes);
    const old = await this.get(id, actor);
    const at = now();
    if (old.validUntil > 0 && at >= old.validUntil) {
      throw new HttpError('invalid_input', `token "${old.label}" has expired: create a new token instead`);
    }
    for (let attempt = 1; ; attempt++) {
      const secret = generateSecret();
      const newId = newTokenId();
      const record: TokenRecord = {
        ...old,
        id: newId,
        author: actor.username,
        digest: this.#deps.digest(secret),
        secretCiphertext: config.secureMode ? null : this.#deps.secretBox.seal(secret, newId),
        dateCreated: at,
        counter: 0,
        ip: null,
        lastUsed: 0,
      };
      try {
        const oldValidUntil = grace === 0 ? null : at + grace * 60_000;
        const rotated = tokenEvent('token.rotated', record, at, {
          author: record.author,
          previousTokenId: old.id,
          previousValidUntil: oldValidUntil === null ? isoOrNull(at) : isoOrNull(oldValidUntil),
          graceMinutes: grace,
        });
        const rotation = await store.rotateToken(old.id, record, oldValidUntil, [rotated]);
        if (rotation === undefined)
          throw new HttpError('token_not_found', `no token with id ${JSON.stringify(old.id)}`);
        return { record: rotation.after, secret, old: rotation.before };
      } catch (err) {
        if (!(err instanceof DuplicateTokenError) || attempt >= GENERATE_ATTEMPTS) throw err;
      }
    }
  }

  /** Tokens `actor` may see, newest first: administrators all, others those bound to them. */
  async list(actor: User): Promise<TokenRecord[]> {
    return actor.admin ? this.#deps.store.listTokens() : this.#deps.store.listTokens(actor.username);
  }

  /**
   * A page of the tokens `actor` may see (administrators all, others those bound to them),
   * searched, sorted and paged by the database.
   */
  async page(actor: User, query: Omit<TokenPageQuery, 'user'>): Promise<TokenPage> {
    return this.#deps.store.pageTokens(actor.admin ? query : { ...query, user: actor.username });
  }

  /** One token `actor` may see. @throws HttpError 400 (no id), 404 (unknown, or — for non-admins — another user's) */
  async get(id: unknown, actor: User): Promise<TokenRecord> {
    if (typeof id !== 'string' || id === '')
      throw new HttpError('invalid_input', 'id is required: the id of the token');
    const record = await this.#deps.store.findTokenById(id);
    // another user's token answers exactly like an unknown id: no oracle for which ids exist
    if (record === undefined || (!actor.admin && (record.user === null || !sameUser(record.user, actor.username)))) {
      throw new HttpError('token_not_found', `no token with id ${JSON.stringify(id)}`);
    }
    return record;
  }

  /** Deletes (revokes) a token; returns what was deleted. @throws HttpError 400, 404 */
  async delete(id: unknown, actor: User): Promise<TokenRecord> {
    const record = await this.get(id, actor);
    const event = tokenEvent('token.deleted', record, this.#deps.now(), { by: actor.username });
    const deleted = await this.#deps.store.deleteToken(record.id, [event]);
    if (deleted === undefined) throw new HttpError('token_not_found', `no token with id ${JSON.stringify(record.id)}`);
    return deleted;
  }

  /**
   * The secret of a token, again (administrators, standard mode, secret kept).
   * @throws HttpError 403 (not an admin), 404, 409 (secure mode, or secret not kept), 500 (cannot decrypt)
   */
  async reveal(id: unknown, actor: User): Promise<string> {
    const record = await this.get(id, actor);
    if (!actor.admin) throw new HttpError('forbidden', 'only administrators can see a token\u2019s secret again');
    if (this.#deps.config.secureMode)
      throw new HttpError('conflict', 'secure mode: secrets are shown only once, at creation');
    if (record.secretCiphertext === null) {
      throw new HttpError(
        'conflict',
        'this token\u2019s secret is not kept (secure mode was on): it was shown only once, at creation',
      );
    }
    const secret = this.#open(record);
    if (secret === undefined) {
      throw new HttpError(
        'internal_error',
        'the kept secret of this token cannot be decrypted: the encryption key is not the one that sealed it',
      );
    }
    return secret;
  }

  /**
   * The token in Extender's `tokenTools/get` shape. The secret is added only when
   * `includeSecret` is true, the server is in standard mode and the secret is kept; never the digest.
   */
  toPublicView(record: TokenRecord, options: { readonly includeSecret: boolean }): PublicTokenView {
    const secret = options.includeSecret && !this.#deps.config.secureMode ? this.#open(record) : undefined;
    return publicView(record, this.#deps.now(), secret);
  }

  #open(record: TokenRecord): string | undefined {
    if (record.secretCiphertext === null) return undefined;
    try {
      return this.#deps.secretBox.open(record.secretCiphertext, record.id);
    } catch {
      return undefined;
    }
  }

  async #boundUser(requested: string | null, actor: User): Promise<string | null> {
    if (!actor.admin) {
      if (requested !== null && !sameUser(requested, actor.username)) {
        throw new HttpError(
          'forbidden',
          'you can create tokens only for yourself: ask an administrator for a token of another user',
        );
      }
      return actor.username;
    }
    if (requested === null) return null;
    const user = await this.#deps.store.findUser(requested);
    if (user === undefined) throw new HttpError('user_not_found', `user ${JSON.stringify(requested)} does not exist`);
    if (!user.active) throw new HttpError('invalid_input', `user ${JSON.stringify(user.username)} is disabled`);
    return user.username;
  }
}
