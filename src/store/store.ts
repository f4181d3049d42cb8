import type { AuditExportFormat } from './audit-export.js';
import type {
  AuditFilter,
  AuditPage,
  AuditRecord,
  AuditStatsRow,
  Change,
  ClaimedDelivery,
  DeliveryOutcome,
  NewUser,
  NewWebhookEvent,
  RuntimeSettings,
  SeenAddress,
  StoredAuditRecord,
  StoredUpstreamCredential,
  TimeRange,
  TokenPage,
  TokenPageQuery,
  TokenRecord,
  UsageDelta,
  User,
  UserPageQuery,
} from './models.js';

export interface AuditInsertOptions {
  /** Most audit records kept (`audit.maxRows`); 0 or absent: no size bound. */
  readonly maxRows?: number;
}

export interface AuditInsertResult {
  /** Records deleted to stay within `maxRows`. */
  readonly pruned: number;
}

/** Thrown by `insertToken` when the digest (the secret) is already in use. */
export class DuplicateTokenError extends Error {
  constructor() {
    super('this token value is already in use; choose another');
    this.name = 'DuplicateTokenError';
  }
}

/** Thrown by `createUser` when the username or email is taken. */
export class DuplicateUserError extends Error {
  constructor(what: 'username' | 'email') {
    super(`a user with this ${what} already exists`);
    this.name = 'DuplicateUserError';
  }
}

/** Thrown by `insertToken` when its `requireMeta` condition does not hold (nothing was written). */
export class MetaMismatchError extends Error {
  constructor(key: string) {
    super(`the database's "${key}" is not the one this process expects; nothing was written`);
    this.name = 'MetaMismatchError';
  }
}

/** A condition checked inside the write transaction: meta `key` must hold `value`. */
export interface MetaCondition {
  readonly key: string;
  readonly value: string;
}

/** Stop function returned by `subscribe`. */
export type Unsubscribe = () => void;

/** Whether the change feed can read the database: when it last did, and the last error since. */
export interface ChangeFeedStatus {
  /** Date.now() of the last successful read (or of the start). */
  readonly lastOkAt: number;
  /** Message of the last failed read after `lastOkAt`, or null when the last read worked. */
  readonly lastError: string | null;
}

/**
 * Everything tokengate keeps. One interface, one implementation per database
 * (SQLite embedded, PostgreSQL for several nodes). Nothing above `store/` knows which.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  // users
  createUser(user: NewUser): Promise<User>;
  /** Case-insensitive lookup by username, or by email when `byEmailToo` is true. */
  findUser(nameOrEmail: string, byEmailToo?: boolean): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** A page of users by username, filtered in SQL (never every row). */
  pageUsers(query: UserPageQuery): Promise<User[]>;
  setUserActive(username: string, active: boolean): Promise<boolean>;
  setUserPassword(username: string, passwordHash: string | null): Promise<boolean>;
  /**
   * Deletes a user (any case) and every token bound to them, in one transaction; every node
   * drops them from its cache through the change feed. Undefined when no such user exists.
   */
  deleteUser(
    username: string,
    eventsFor?: (tokens: readonly TokenRecord[]) => readonly NewWebhookEvent[],
  ): Promise<{ user: User; tokens: TokenRecord[] } | undefined>;
  /**
   * Sets (or, with null, removes) the user's own upstream credential; announced as a change of
   * the user. Returns false when there is no such user (set) or nothing to remove (clear).
   */
  setUpstreamCredential(username: string, credential: StoredUpstreamCredential | null): Promise<boolean>;
  /** The user's sealed upstream credential (case-insensitive), or undefined. */
  findUpstreamCredential(username: string): Promise<StoredUpstreamCredential | undefined>;
  /** True when any user has an upstream credential (the encryption key is then in use). */
  hasUpstreamCredentials(): Promise<boolean>;

  // tokens
  /**
   * @param requireMeta checked in the same transaction (e.g. the encryption key's check value, so
   *   no secret is ever sealed with a key the database does not record).
   * @throws DuplicateTokenError when the digest exists; MetaMismatchError when `requireMeta` fails.
   */
  insertToken(token: TokenRecord, requireMeta?: MetaCondition, events?: readonly NewWebhookEvent[]): Promise<void>;
  findTokenByDigest(digest: string): Promise<TokenRecord | undefined>;
  findTokenById(id: string): Promise<TokenRecord | undefined>;
  /** All tokens, or those bound to `user` (case-insensitive), newest first. */
  listTokens(user?: string): Promise<TokenRecord[]>;
  /** A page of tokens, searched, sorted and paged in SQL with indexes, and the matching count. */
  pageTokens(query: TokenPageQuery): Promise<TokenPage>;
  /** Whether any token exists (with `withSecret`: any whose secret is kept), without reading them all. */
  anyToken(withSecret?: boolean): Promise<boolean>;
  /** Deletes a token (and the addresses seen for it); `events` are recorded in the same transaction. */
  deleteToken(id: string, events?: readonly NewWebhookEvent[]): Promise<TokenRecord | undefined>;
  /**
   * Rotation, in one transaction: inserts `replacement` and retires token `oldId` — deleted when
   * `oldValidUntil` is null, else its expiry is brought forward to `oldValidUntil` (never pushed
   * back). The replacement joins the old token's lineage and starts from its quota count, both as
   * read in the transaction (the two then count together: see {@link TokenRecord.lineageId}).
   * Returns the old token as it was and the replacement as stored, or undefined (and inserts
   * nothing) when the old token is gone.
   * @throws DuplicateTokenError when the replacement's digest exists.
   */
  rotateToken(
    oldId: string,
    replacement: TokenRecord,
    oldValidUntil: number | null,
    events?: readonly NewWebhookEvent[],
  ): Promise<{ readonly before: TokenRecord; readonly after: TokenRecord } | undefined>;
  /** Forget every kept secret (secure mode). Returns how many were wiped. */
  wipeSecrets(): Promise<number>;
  /** Atomic increments of usage details. */
  addUsage(deltas: readonly UsageDelta[]): Promise<void>;

  // settings and metadata
  getSettings(): Promise<RuntimeSettings>;
  updateSettings(patch: Partial<RuntimeSettings>): Promise<RuntimeSettings>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Sets meta `key` to `value` unless it already has a value, atomically (first writer wins), and
   * returns the value the database now holds.
   */
  claimMeta(key: string, value: string): Promise<string>;

  // audit
  /**
   * Inserts audit records in one transaction; with `maxRows`, deletes in the same transaction the
   * oldest records beyond the newest `maxRows` (a bounded number per call) and says how many.
   */
  insertAudit(records: readonly AuditRecord[], options?: AuditInsertOptions): Promise<AuditInsertResult>;
  /**
   * One page of matching records, newest first. `total` is exact up to 10,000 records beyond
   * the page's end; past that it is that bound and `totalIsLowerBound` is true ("at least").
   */
  queryAudit(filter: AuditFilter, startAt: number, maxResults: number): Promise<AuditPage>;
  /** Every matching record, newest first, read in pages. */
  iterateAudit(filter: AuditFilter, pageSize?: number): AsyncIterable<StoredAuditRecord>;
  /**
   * Every matching record, newest first, as export text (`audit-export.ts`: the CSV header, then
   * one chunk per page of `pageSize` records). SQLite formats each page on its own thread, so an
   * export costs the request thread only the writing of text.
   */
  exportAudit(filter: AuditFilter, format: AuditExportFormat, pageSize?: number): AsyncIterable<string>;
  /**
   * Calls per time bucket (`bucketMs` long, aligned on multiples of it, UTC) and decision among
   * the matching records within `range`, counted in SQL (`GROUP BY bucket, decision`): only
   * buckets and decisions with calls are returned, in no particular order. A summary record of
   * aggregated unauthenticated attempts (`N more unauthenticated requests …`) counts N calls.
   */
  auditStats(filter: AuditFilter, range: TimeRange, bucketMs: number): Promise<AuditStatsRow[]>;
  /** Time of the oldest matching record, or null when none matches. */
  oldestAuditTime(filter: AuditFilter): Promise<number | null>;
  /** Records with id greater than `afterId`, oldest first (for `audit --follow`). */
  auditAfter(afterId: number, limit: number): Promise<StoredAuditRecord[]>;
  /** Deletes at most `limit` records older than `before`; returns how many. */
  pruneAudit(before: number, limit: number): Promise<number>;
  /** Deletes at most `limit` of the oldest records beyond the newest `maxRows`; returns how many. */
  pruneAuditOverflow(maxRows: number, limit: number): Promise<number>;

  // change feed
  /** Highest change sequence number. */
  currentChangeSeq(): Promise<number>;
  /** Changes with seq > `afterSeq`, oldest first. */
  changesAfter(afterSeq: number, limit?: number): Promise<Change[]>;
  /**
   * Calls `listener` for every change made by any process, within one second.
   * SQLite polls; PostgreSQL uses LISTEN/NOTIFY with polling as a safety net.
   */
  subscribe(listener: (change: Change) => void): Unsubscribe;
  /**
   * When the change feed last read the database (while someone is subscribed it reads every
   * poll interval): the gateway's measure of whether the database is answering.
   */
  changeFeedStatus(): ChangeFeedStatus;

  // nodes (several nodes share one database)
  /** Records this node's secure mode and a heartbeat (now). */
  heartbeat(nodeId: string, secureMode: boolean, now: number): Promise<void>;
  /** Nodes whose last heartbeat is at or after `since`. */
  liveNodes(since: number): Promise<{ nodeId: string; secureMode: boolean; lastSeen: number }[]>;
  /** Removes this node's heartbeat (clean shutdown). */
  removeNode(nodeId: string): Promise<void>;

  // failed-authentication limiter, shared by every node
  /**
   * Counts one failed attempt for `key` (a client address) in the fixed window that contains `now`
   * and returns the count in that window, including this one.
   */
  recordAuthFailure(key: string, windowMs: number, now: number): Promise<number>;
  /** Takes back one attempt counted for `key` in the window that contains `now` (never below 0). */
  releaseAuthFailure(key: string, windowMs: number, now: number): Promise<void>;
  /** Failed attempts for `key` in the window that contains `now`. */
  authFailures(key: string, windowMs: number, now: number): Promise<number>;

  // token policy (rate limits and quotas), exact across nodes: one atomic statement each
  /**
   * Counts `calls` calls (default 1) for `key` (a token's rate limit) in the fixed window of
   * `windowMs` that contains `now` and returns the count in that window, including these.
   */
  countRateWindow(key: string, windowMs: number, now: number, calls?: number): Promise<number>;
  /**
   * Counts one call against the quota of the lineage `lineage` (a token's `lineageOf`: every
   * token of its rotations) when it has calls left: the calls used, including this one, or null
   * when the quota is used up (or the tokens have no quota or are gone). Never counts past the
   * quota, whatever the concurrency.
   */
  useQuota(lineage: string, exhaustedEvent?: () => NewWebhookEvent): Promise<number | null>;

  // webhook outbox (token events), shared by every node and the CLI
  /** Records events, skipping those whose key exists; returns how many were new. */
  insertWebhookEvents(events: readonly NewWebhookEvent[]): Promise<number>;
  /**
   * Makes `receiver`'s deliveries (of `types`, null: all) for the events after its last one, at
   * most `limit`; a new receiver starts with events created from `firstSince` on. Idempotent.
   * Returns how many events were looked at.
   */
  fanOutWebhookEvents(
    receiver: string,
    types: readonly string[] | null,
    now: number,
    firstSince: number,
    limit: number,
  ): Promise<number>;
  /** Claims up to `limit` due deliveries of `receivers` for `node`, leased until `now + leaseMs`. */
  claimWebhookDeliveries(
    receivers: readonly string[],
    node: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedDelivery[]>;
  /** Records the outcome of an attempt (ignored when `node` no longer holds the lease). */
  finishWebhookDelivery(id: number, node: string, outcome: DeliveryOutcome, now: number): Promise<void>;
  /** Tokens past the mark `daysMs` before expiry, created before it, without event `<id>|token.expiring|<mark>`. */
  tokensAtExpiringMark(now: number, daysMs: number, mark: string, limit: number): Promise<TokenRecord[]>;
  /** Tokens expired in (`since`, `now`] without a `token.expired` event. */
  tokensExpiredSince(now: number, since: number, limit: number): Promise<TokenRecord[]>;
  /** Records the new (token, address) pairs with their events, in one transaction; how many were new. */
  recordTokenAddresses(seen: readonly SeenAddress[], now: number): Promise<number>;
  /** Deletes (at most `limit` each) deliveries untouched and settled events older than `before`. */
  pruneWebhookOutbox(before: number, limit: number): Promise<number>;

  close(): Promise<void>;
}
