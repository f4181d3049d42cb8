/** Plain data kept by the store. Times are epoch milliseconds. */

export interface User {
  /** As the user was created (display spelling). Unique case-insensitively. */
  readonly username: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly admin: boolean;
  readonly active: boolean;
  /** Password hash for the web page (`scrypt$…`), or null when the user has no password. */
  readonly passwordHash: string | null;
  readonly dateCreated: number;
}

export interface NewUser {
  readonly username: string;
  readonly email?: string | null;
  readonly displayName?: string | null;
  readonly admin?: boolean;
  readonly active?: boolean;
  readonly passwordHash?: string | null;
}

/** A user's own upstream credential as kept: its kind and the sealed value (never the plain one). */
export interface StoredUpstreamCredential {
  readonly type: 'basic' | 'bearer';
  /** Sealed with the encryption key (SecretBox), bound to the lower-case username. */
  readonly sealed: string;
  readonly dateSet: number;
}

export interface TokenRecord {
  /** Opaque, URL-safe, not derived from the secret. */
  readonly id: string;
  readonly label: string;
  /** Username the token is bound to (display spelling), or null for "any user (Basic only)". */
  readonly user: string | null;
  /** Who created it. */
  readonly author: string | null;
  /** Normalised limitTo text, lines joined with `\n` ('' = unrestricted). */
  readonly limitTo: string;
  /** Digest of the secret (hex HMAC-SHA-256); the only way a token is looked up. */
  readonly digest: string;
  /** Secret encrypted at rest (standard mode), or null (secure mode, or wiped). */
  readonly secretCiphertext: string | null;
  readonly dateCreated: number;
  /** 0 = never expires. */
  readonly validUntil: number;
  readonly counter: number;
  readonly ip: string | null;
  /** 0 = never used. */
  readonly lastUsed: number;
  /** Token policy (absent on records made before it: none). `N/second|minute|hour|day` or null. */
  readonly rateLimit?: string | null;
  /** Total calls allowed, or null: no quota. */
  readonly quota?: number | null;
  /** Calls counted against the quota so far. */
  readonly quotaUsed?: number;
  /** Allowed client addresses and CIDR ranges, one per line ('' or absent = any address). */
  readonly allowedIps?: string;
  /**
   * The id of the first token of this token's rotations (null or absent: this token's own id).
   * Tokens of one lineage share one rate-limit window and one quota count, so the old and the new
   * secret of a rotation together never make more calls than one token could.
   */
  readonly lineageId?: string | null;
}

/** The key `record`'s rate limit and quota count under: its lineage (see {@link TokenRecord.lineageId}). */
export function lineageOf(record: Pick<TokenRecord, 'id' | 'lineageId'>): string {
  return record.lineageId ?? record.id;
}

export type AuthType = 'basic' | 'bearer' | 'both';

/** Runtime settings: stored in the database, shared by every node. */
export interface RuntimeSettings {
  readonly authType: AuthType;
  readonly extenderEndpointsOnly: boolean;
  readonly usageDetails: boolean;
  readonly auditLog: boolean;
  /**
   * Longest lifetime of a new token, in days (null: no maximum). Policy every node and the CLI
   * read here; a node's `maxExpiryDays` configuration is written here at its start when stricter.
   */
  readonly maxExpiryDays: number | null;
}

export const DEFAULT_SETTINGS: RuntimeSettings = Object.freeze({
  authType: 'basic',
  extenderEndpointsOnly: false,
  usageDetails: true,
  auditLog: true,
  maxExpiryDays: null,
});

/** `passthrough`: a request without a token sent to the upstream unchanged (recorded only when `audit.passthrough` is on). */
export type AuditDecision = 'allowed' | 'denied' | 'refused' | 'unauthenticated' | 'error' | 'admin' | 'passthrough';

/** One audit record. Strings are already redacted and control characters escaped. */
export interface AuditRecord {
  readonly time: number;
  readonly tokenId: string | null;
  readonly tokenLabel: string | null;
  readonly user: string | null;
  /** `basic`, `bearer`, or null when no credentials were understood; `session` for the page. */
  readonly authMethod: string | null;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly decision: AuditDecision;
  readonly reason: string;
  readonly upstreamStatus: number | null;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly durationMs: number;
  readonly node: string;
}

export interface StoredAuditRecord extends AuditRecord {
  readonly id: number;
}

export interface AuditFilter {
  readonly tokenId?: string;
  readonly user?: string;
  readonly decision?: AuditDecision;
  readonly from?: number;
  readonly to?: number;
  /** Path prefix. */
  readonly path?: string;
  /** Only records of these token ids (used for non-admin visibility). */
  readonly tokenIds?: readonly string[];
  /** Only records whose user is this one (used for non-admin visibility). */
  readonly ownUser?: string;
}

/** A time range, both ends included, epoch ms. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** Calls of one decision in one time bucket (`Store.auditStats`). */
export interface AuditStatsRow {
  /** Start of the bucket, epoch ms (a whole multiple of the bucket's length, UTC). */
  readonly bucketStart: number;
  readonly decision: AuditDecision;
  /** Calls: one per record, N for a summary record of `N more unauthenticated requests …`. */
  readonly calls: number;
}

/** One usage increment for a token, applied atomically (never read-modify-write). */
export interface UsageDelta {
  readonly tokenId: string;
  readonly calls: number;
  readonly lastUsed: number;
  readonly ip: string;
}

/** What changed, as seen by the change feed. */
export type ChangeKind = 'token' | 'user' | 'settings';

export interface Change {
  readonly seq: number;
  readonly kind: ChangeKind;
  /** token: digest; user: lower-case username; settings: ''. */
  readonly key: string;
}

/** Orders of a token page (the page's sort keys). */
export type TokenSort = 'label' | 'user' | 'created' | 'expiry' | 'lastUsed' | 'calls';

/** One page of tokens, read with SQL (`Store.pageTokens`). */
/** A range of expiry times, epoch ms: `above < validUntil <= atMost`. */
export interface ValidUntilRange {
  readonly above: number;
  readonly atMost: number;
}

export interface TokenPageQuery {
  /** Only tokens bound to this user (case-insensitive); undefined: every token. */
  readonly user?: string;
  /** Case-insensitive text in the label, the bound user or the user's display name ('' = all). */
  readonly search?: string;
  /** Default `created`. Ties: newest first, then by id. */
  readonly sort?: TokenSort;
  /** Default: true for `created`, false otherwise. */
  readonly descending?: boolean;
  /** Only tokens whose `validUntil` is above `above` and at most `atMost` (never-expiring ones are 0). */
  readonly validUntil?: ValidUntilRange;
  readonly startAt: number;
  readonly maxResults: number;
}

/** A listed token and the display name of its user (null when none or unknown). */
export interface ListedTokenRecord extends TokenRecord {
  readonly userDisplayName: string | null;
}

/** A page of tokens and how many match in all. */
export interface TokenPage {
  /** Matching tokens: exact, or a lower bound when `totalIsLowerBound` (a search stops counting early). */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  readonly tokens: ListedTokenRecord[];
}

/** One page of users, read with SQL (`Store.pageUsers`), by username. */
export interface UserPageQuery {
  /** Case-insensitive text in the username, email or display name ('' = all). */
  readonly search?: string;
  readonly activeOnly?: boolean;
  readonly startAt: number;
  readonly maxResults: number;
}

/** A page of the audit log (`Store.queryAudit`). */
export interface AuditPage {
  /** Matching records: exact, or a lower bound when `totalIsLowerBound`. */
  readonly total: number;
  /** True when more records match than were counted (the count stops early on a large log). */
  readonly totalIsLowerBound: boolean;
  readonly entries: StoredAuditRecord[];
}

/** A token event for the webhook outbox (`webhook_events`). */
export interface NewWebhookEvent {
  /** Unique: a second event with the same key is not recorded (several nodes may find the same one). */
  readonly key: string;
  readonly type: string;
  readonly tokenId: string;
  /** The exact JSON body sent to receivers (and signed). Never a secret. */
  readonly body: string;
  readonly createdAt: number;
}

/** One event to one receiver, claimed by a node for delivery (`Store.claimWebhookDeliveries`). */
export interface ClaimedDelivery {
  readonly id: number;
  readonly receiver: string;
  readonly type: string;
  readonly body: string;
  /** Attempts including this one. */
  readonly attempts: number;
}

/** How a delivery attempt ended: delivered, or failed with a retry time (null: give up). */
export type DeliveryOutcome =
  | { readonly delivered: true }
  | { readonly delivered: false; readonly error: string; readonly retryAt: number | null };

/** A successful call's (token, client address), for `token.new_address`, with the event to record if new. */
export interface SeenAddress {
  readonly tokenId: string;
  readonly address: string;
  readonly event: NewWebhookEvent;
}
