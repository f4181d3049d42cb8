/** An in-memory stand-in for the parts of `Store` the token and user services use (unit tests only). */
import type { NewUser, StoredUpstreamCredential, TokenRecord, User } from '../store/models.js';
import {
  DuplicateTokenError,
  DuplicateUserError,
  type MetaCondition,
  MetaMismatchError,
  type Store,
} from '../store/store.js';

type Node = { nodeId: string; secureMode: boolean; lastSeen: number };

export class MemoryStore {
  readonly dialect = 'sqlite' as const;
  readonly users = new Map<string, User>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly meta = new Map<string, string>();
  readonly nodes = new Map<string, Node>();
  readonly upstreamCredentials = new Map<string, StoredUpstreamCredential>();
  closed = false;

  async setUpstreamCredential(username: string, credential: StoredUpstreamCredential | null): Promise<boolean> {
    const key = username.toLowerCase();
    if (credential === null) return this.upstreamCredentials.delete(key);
    if (!this.users.has(key)) return false;
    this.upstreamCredentials.set(key, credential);
    return true;
  }

  async findUpstreamCredential(username: string): Promise<StoredUpstreamCredential | undefined> {
    return this.upstreamCredentials.get(username.toLowerCase());
  }

  async hasUpstreamCredentials(): Promise<boolean> {
    return this.upstreamCredentials.size > 0;
  }

  async createUser(user: NewUser): Promise<User> {
    const key = user.username.toLowerCase();
    if (this.users.has(key)) throw new DuplicateUserError('username');
    const email = user.email ?? null;
    if (email !== null && [...this.users.values()].some((u) => u.email?.toLowerCase() === email.toLowerCase())) {
      throw new DuplicateUserError('email');
    }
    const created: User = {
      username: user.username,
      email,
      displayName: user.displayName ?? null,
      admin: user.admin ?? false,
      active: user.active ?? true,
      passwordHash: user.passwordHash ?? null,
      dateCreated: 1,
    };
    this.users.set(key, created);
    return created;
  }

  async findUser(nameOrEmail: string, byEmailToo = false): Promise<User | undefined> {
    const key = nameOrEmail.toLowerCase();
    const byName = this.users.get(key);
    if (byName !== undefined || !byEmailToo) return byName;
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === key);
  }

  async listUsers(): Promise<User[]> {
    return [...this.users.values()];
  }

  async setUserActive(username: string, active: boolean): Promise<boolean> {
    const user = this.users.get(username.toLowerCase());
    if (user === undefined) return false;
    this.users.set(username.toLowerCase(), { ...user, active });
    return true;
  }

  async setUserPassword(username: string, passwordHash: string | null): Promise<boolean> {
    const user = this.users.get(username.toLowerCase());
    if (user === undefined) return false;
    this.users.set(username.toLowerCase(), { ...user, passwordHash });
    return true;
  }

  async insertToken(token: TokenRecord, requireMeta?: MetaCondition): Promise<void> {
    if (requireMeta !== undefined && this.meta.get(requireMeta.key) !== requireMeta.value) {
      throw new MetaMismatchError(requireMeta.key);
    }
    if ([...this.tokens.values()].some((t) => t.digest === token.digest)) throw new DuplicateTokenError();
    this.tokens.set(token.id, token);
  }

  async findTokenByDigest(digest: string): Promise<TokenRecord | undefined> {
    return [...this.tokens.values()].find((t) => t.digest === digest);
  }

  async findTokenById(id: string): Promise<TokenRecord | undefined> {
    return this.tokens.get(id);
  }

  async listTokens(user?: string): Promise<TokenRecord[]> {
    return [...this.tokens.values()]
      .filter((t) => user === undefined || t.user?.toLowerCase() === user.toLowerCase())
      .sort((a, b) => b.dateCreated - a.dateCreated);
  }

  async anyToken(withSecret = false): Promise<boolean> {
    return [...this.tokens.values()].some((t) => !withSecret || t.secretCiphertext !== null);
  }

  async deleteToken(id: string): Promise<TokenRecord | undefined> {
    const token = this.tokens.get(id);
    this.tokens.delete(id);
    return token;
  }

  async wipeSecrets(): Promise<number> {
    let wiped = 0;
    for (const [id, token] of this.tokens) {
      if (token.secretCiphertext === null) continue;
      this.tokens.set(id, { ...token, secretCiphertext: null });
      wiped++;
    }
    return wiped;
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.meta.get(key);
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.meta.set(key, value);
  }

  async claimMeta(key: string, value: string): Promise<string> {
    const held = this.meta.get(key);
    if (held !== undefined) return held;
    this.meta.set(key, value);
    return value;
  }

  async heartbeat(nodeId: string, secureMode: boolean, now: number): Promise<void> {
    this.nodes.set(nodeId, { nodeId, secureMode, lastSeen: now });
  }

  async liveNodes(since: number): Promise<Node[]> {
    return [...this.nodes.values()].filter((n) => n.lastSeen >= since);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** This object typed as a full `Store` (methods not implemented here are never called by the tests). */
  asStore(): Store {
    return this as unknown as Store;
  }
}

/** A plain token record for tests: id doubles as label and digest. */
export function tokenRecord(id: string, secretCiphertext: string | null): TokenRecord {
  return {
    id,
    label: id,
    user: null,
    author: 'a',
    limitTo: '',
    digest: id,
    secretCiphertext,
    dateCreated: 1,
    validUntil: 0,
    counter: 0,
    ip: null,
    lastUsed: 0,
  };
}
