import type { Generated } from 'kysely';

/**
 * Table types of the tokengate database, as Kysely sees them. Column names are snake_case.
 * Times are epoch milliseconds (INTEGER on SQLite, BIGINT on PostgreSQL, read back as numbers).
 * Booleans are integers 0/1 on SQLite and BOOLEAN on PostgreSQL: write them with the dialect's
 * `bool()` hook, read them with `Boolean()`.
 */
export type DbBool = number | boolean;

/** `users`: one row per user, keyed by the lower-case username. */
export interface UsersTable {
  /** lower-case username (JavaScript `toLowerCase()`), primary key */
  username_key: string;
  username: string;
  email: string | null;
  /** lower-case email, unique; null when there is no email */
  email_key: string | null;
  display_name: string | null;
  admin: DbBool;
  active: DbBool;
  password_hash: string | null;
  date_created: number;
}

/** `tokens`: one row per token, looked up by id or digest (unique). */
export interface TokensTable {
  id: string;
  label: string;
  /** lower-case bound username, or null */
  user_key: string | null;
  /** bound username as displayed, or null */
  user: string | null;
  author: string | null;
  limit_to: string;
  digest: string;
  secret_ciphertext: string | null;
  date_created: number;
  valid_until: number;
  counter: number;
  ip: string | null;
  last_used: number;
  /** `N/second|minute|hour|day`, or null: no rate limit */
  rate_limit: string | null;
  /** total calls allowed, or null: no quota */
  quota: number | null;
  /** calls counted against the quota (atomic increments only) */
  quota_used: number;
  /** allowed client addresses and CIDR ranges, one per line ('' = any) */
  allowed_ips: string;
  /** the first token of its rotations (null: itself): its rotations count rate and quota together */
  lineage_id: string | null;
}

/** `settings` and `meta`: text key, text value (settings hold JSON). */
export interface KeyValueTable {
  key: string;
  value: string;
}

/** `audit`: one row per call; `id` grows with every insert and is never reused. */
export interface AuditTable {
  id: Generated<number>;
  time: number;
  token_id: string | null;
  token_label: string | null;
  user: string | null;
  /** lower-case `user`, for case-insensitive filters */
  user_key: string | null;
  auth_method: string | null;
  method: string;
  path: string;
  query: string;
  decision: string;
  reason: string;
  upstream_status: number | null;
  client_ip: string;
  user_agent: string;
  duration_ms: number;
  node: string;
}

/** `changes`: the change feed; `seq` grows and is never reused. */
export interface ChangesTable {
  seq: Generated<number>;
  kind: string;
  key: string;
  time: number;
}

/** `nodes`: heartbeats of the nodes sharing the database. */
export interface NodesTable {
  node_id: string;
  secure_mode: DbBool;
  last_seen: number;
}

/** `auth_failures`: failed authentications per key and fixed window. */
export interface AuthFailuresTable {
  key: string;
  window_start: number;
  count: number;
}

/** `rate_windows`: calls per key (a token's rate limit) and fixed window, shared by every node. */
export interface RateWindowsTable {
  key: string;
  window_start: number;
  /** when the window ends (for pruning) */
  window_end: number;
  count: number;
}

/** `token_count`: the number of tokens in its one row (id 0), kept by triggers (migration 0007). */
export interface TokenCountTable {
  id: number;
  n: number;
}

/** `upstream_credentials`: a user's own credential for the upstream, sealed; at most one per user. */
export interface UpstreamCredentialsTable {
  /** lower-case username, primary key */
  username_key: string;
  /** `basic` or `bearer` */
  type: string;
  /** sealed with the encryption key (`v1.…`), the username key as associated data */
  sealed: string;
  date_set: number;
}

/** `webhook_events`: the outbox of token events; `event_key` is unique (one event, however many nodes find it). */
export interface WebhookEventsTable {
  id: Generated<number>;
  event_key: string;
  type: string;
  token_id: string;
  /** the exact JSON body sent (and signed) */
  body: string;
  created_at: number;
}

/** `webhook_deliveries`: one event to one receiver (its URL): state, attempts and lease. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: number;
  receiver: string;
  /** `pending`, `delivered` or `failed` (gave up) */
  state: string;
  attempts: number;
  /** earliest time of the next attempt */
  next_at: number;
  /** the node that claimed it, until `lease_until` */
  lease_owner: string | null;
  lease_until: number;
  last_error: string | null;
  updated_at: number;
}

/** `webhook_receivers`: the last outbox event each receiver's deliveries were made for. */
export interface WebhookReceiversTable {
  receiver: string;
  last_event_id: number;
}

/** `token_addresses`: client addresses a token made a successful call from. */
export interface TokenAddressesTable {
  token_id: string;
  address: string;
  first_seen: number;
}

/** Every table, as Kysely's database type. */
export interface Database {
  users: UsersTable;
  upstream_credentials: UpstreamCredentialsTable;
  tokens: TokensTable;
  settings: KeyValueTable;
  meta: KeyValueTable;
  audit: AuditTable;
  changes: ChangesTable;
  nodes: NodesTable;
  auth_failures: AuthFailuresTable;
  rate_windows: RateWindowsTable;
  token_count: TokenCountTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_receivers: WebhookReceiversTable;
  token_addresses: TokenAddressesTable;
}
