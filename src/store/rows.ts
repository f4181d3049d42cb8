import type { Selectable } from 'kysely';
import type { AuditTable, TokensTable, UsersTable } from './database.js';
import type { AuditDecision, AuditRecord, ChangeKind, StoredAuditRecord, TokenRecord, User } from './models.js';

/** Lower-case key of a username or email (JavaScript `toLowerCase()`, same on every database). */
export function keyOf(name: string): string {
  return name.toLowerCase();
}

/** A number from a database value (PostgreSQL may return BIGINT as a string). */
export function num(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A `users` row as a {@link User}. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    admin: Boolean(row.admin),
    active: Boolean(row.active),
    passwordHash: row.password_hash,
    dateCreated: num(row.date_created),
  };
}

/** A `tokens` row as a {@link TokenRecord}. */
export function toToken(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    label: row.label,
    user: row.user,
    author: row.author,
    limitTo: row.limit_to,
    digest: row.digest,
    secretCiphertext: row.secret_ciphertext,
    dateCreated: num(row.date_created),
    validUntil: num(row.valid_until),
    counter: num(row.counter),
    ip: row.ip,
    lastUsed: num(row.last_used),
    rateLimit: row.rate_limit,
    quota: row.quota === null ? null : num(row.quota),
    quotaUsed: num(row.quota_used),
    allowedIps: row.allowed_ips,
    lineageId: row.lineage_id,
  };
}

/** A {@link TokenRecord} as a `tokens` row. */
export function tokenRow(token: TokenRecord): Selectable<TokensTable> {
  return {
    id: token.id,
    label: token.label,
    user_key: token.user === null ? null : keyOf(token.user),
    user: token.user,
    author: token.author,
    limit_to: token.limitTo,
    digest: token.digest,
    secret_ciphertext: token.secretCiphertext,
    date_created: token.dateCreated,
    valid_until: token.validUntil,
    counter: token.counter,
    ip: token.ip,
    last_used: token.lastUsed,
    rate_limit: token.rateLimit ?? null,
    quota: token.quota ?? null,
    quota_used: token.quotaUsed ?? 0,
    allowed_ips: token.allowedIps ?? '',
    lineage_id: token.lineageId ?? null,
  };
}

/** Columns of one audit row, without the generated id. */
export type AuditRow = Omit<Selectable<AuditTable>, 'id'>;

/** An {@link AuditRecord} as an `audit` row. */
export function auditRow(r: AuditRecord): AuditRow {
  return {
    time: r.time,
    token_id: r.tokenId,
    token_label: r.tokenLabel,
    user: r.user,
    user_key: r.user === null ? null : keyOf(r.user),
    auth_method: r.authMethod,
    method: r.method,
    path: r.path,
    query: r.query,
    decision: r.decision,
    reason: r.reason,
    upstream_status: r.upstreamStatus,
    client_ip: r.clientIp,
    user_agent: r.userAgent,
    duration_ms: r.durationMs,
    node: r.node,
  };
}

/** An audit row with every column, in the order {@link auditParameters} binds them. */
export const AUDIT_SAMPLE_ROW: AuditRow = Object.freeze(
  auditRow({
    time: 0,
    tokenId: null,
    tokenLabel: null,
    user: null,
    authMethod: null,
    method: '',
    path: '',
    query: '',
    decision: 'allowed',
    reason: '',
    upstreamStatus: null,
    clientIp: '',
    userAgent: '',
    durationMs: 0,
    node: '',
  }),
);

const AUDIT_COLUMN_NAMES = Object.keys(AUDIT_SAMPLE_ROW) as (keyof AuditRow)[];

/** Number of columns an audit row binds (for chunking multi-row inserts). */
export const AUDIT_COLUMNS = AUDIT_COLUMN_NAMES.length;

/**
 * The bound parameters of a multi-row insert of `records`, row after row, each in the column
 * order of {@link AUDIT_SAMPLE_ROW} (the order Kysely compiles `values([...])` in).
 */
export function auditParameters(records: readonly AuditRecord[]): (string | number | null)[] {
  const out: (string | number | null)[] = [];
  for (const r of records) {
    const row = auditRow(r);
    for (const column of AUDIT_COLUMN_NAMES) out.push(row[column]);
  }
  return out;
}

/** An `audit` row as a {@link StoredAuditRecord}. */
export function toAudit(row: Selectable<AuditTable>): StoredAuditRecord {
  return {
    id: num(row.id),
    time: num(row.time),
    tokenId: row.token_id,
    tokenLabel: row.token_label,
    user: row.user,
    authMethod: row.auth_method,
    method: row.method,
    path: row.path,
    query: row.query,
    decision: row.decision as AuditDecision,
    reason: row.reason,
    upstreamStatus: row.upstream_status === null ? null : num(row.upstream_status),
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    durationMs: num(row.duration_ms),
    node: row.node,
  };
}

/** True for a known change kind. */
export function isChangeKind(kind: string): kind is ChangeKind {
  return kind === 'token' || kind === 'user' || kind === 'settings';
}
