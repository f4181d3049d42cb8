import type { AuditDecision, AuditRecord } from '../store/models.js';
import {
  escapeControl,
  redactedParamNames,
  redactedParamValues,
  redactQuery,
  redactReasonValues,
  redactSecret,
  type SecretForms,
  scrubTokenShaped,
  secretForms,
  truncate,
} from './sanitize.js';

/**
 * What is known about one call when it is recorded: plain values as received. The shape is the
 * gateway's `CallRecordInput` (src/audit/call-log.ts), so one can be passed as the other.
 */
export interface AuditRecordInput {
  readonly time: number;
  readonly tokenId: string | null;
  readonly tokenLabel: string | null;
  readonly user: string | null;
  readonly authMethod: string | null;
  readonly method: string;
  /** Canonical path (already normalised by the HTTP layer). */
  readonly path: string;
  /** Query string as received, without `?`. */
  readonly rawQuery: string;
  readonly decision: AuditDecision;
  readonly reason: string;
  readonly upstreamStatus: number | null;
  readonly clientIp: string;
  /** The `User-Agent` header as received ('' when absent). */
  readonly userAgent: string;
  readonly durationMs: number;
  /** The credential the client presented, scrubbed from every field; null when none. */
  readonly secret: string | null;
  /** More secrets to scrub from every field (e.g. the value of a token just created). */
  readonly extraSecrets?: readonly string[];
}

/** Longest stored value of each string field, in UTF-16 code units, after escaping. */
export const FIELD_LIMITS = Object.freeze({
  tokenId: 128,
  tokenLabel: 255,
  user: 255,
  authMethod: 16,
  method: 32,
  path: 2048,
  query: 2048,
  reason: 512,
  clientIp: 64,
  userAgent: 256,
  node: 128,
});

export interface AuditRecordBuilderOptions {
  /** This node's id (`config.nodeId`). */
  readonly node: string;
  /** Extra query parameter names to redact (`config.audit.redactParams`), case-insensitive. */
  readonly redactParams?: readonly string[];
}

/** Builds a safe `AuditRecord` from plain inputs. */
export type AuditRecordBuilder = (input: AuditRecordInput) => AuditRecord;

/** Removes every secret in `secrets` from `value`. */
function scrub(value: string, secrets: readonly SecretForms[]): string {
  let out = value;
  for (const secret of secrets) out = redactSecret(out, secret);
  return out;
}

/**
 * Scrubs the secrets, escapes control characters, then truncates — in that order, so a secret is
 * gone before anything could cut it in half, and a cut never splits an escape sequence.
 */
function clean(value: string, limit: number, secrets: readonly SecretForms[]): string {
  const scrubbed = scrubTokenShaped(scrub(value, secrets));
  const escaped = escapeControl(scrubbed);
  // escaping can turn text into a secret's literal characters (e.g. a secret containing `\x0a`)
  return truncate(escaped === scrubbed ? escaped : scrub(escaped, secrets), limit);
}

function wholeNonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

/** Indexes of the string fields in {@link FieldMemo.byField}. */
const TOKEN_ID = 0;
const TOKEN_LABEL = 1;
const USER = 2;
const AUTH_METHOD = 3;
const METHOD = 4;
const PATH = 5;
const QUERY = 6;
const REASON = 7;
const CLIENT_IP = 8;
const USER_AGENT = 9;
const FIELD_COUNT = 10;

/** Secrets whose forms (and cleaned values) are kept between calls. */
const MEMO_SECRETS = 8;
/** Cleaned values kept per field and secret; the map starts over when full. */
const MEMO_VALUES = 32;
/** Values longer than this are cleaned every time (and not kept). */
const MEMO_MAX_LENGTH = 256;

/**
 * One presented secret's forms and, per field, what values were cleaned to under it: a call from
 * the same client repeats its token id, label, user, address, user agent… and `clean` is a pure
 * function of (value, field limit, secret), so the result can be reused as it is.
 */
interface FieldMemo {
  readonly secrets: readonly SecretForms[];
  /** Raw value → cleaned value, per field (created when first needed). */
  readonly byField: (Map<string, string> | undefined)[];
}

/**
 * Returns a function that turns plain call facts into an `AuditRecord`: sensitive query values
 * redacted, the presented secret scrubbed from every string field (in any form `redactSecret`
 * knows), control characters escaped, long values truncated (user agent 256, reason 512,
 * path 2048, query 2048; see {@link FIELD_LIMITS}). Never throws for any string input.
 *
 * For speed it remembers, for the last few presented secrets, their precomputed forms and the
 * cleaned text of short field values (bounded: 8 secrets × 10 fields × 32 values of at most 256
 * characters), in memory only. Only what a record may hold is handed out: a remembered result is
 * exactly what cleaning the same value under the same secret gives.
 *
 * @example
 * const build = createAuditRecordBuilder({ node: 'node-1', redactParams: config.audit.redactParams });
 * writer.enqueue(build({ time: Date.now(), tokenId: 'k1', tokenLabel: 'ci', user: 'bob',
 *   authMethod: 'basic', method: 'GET', path: '/rest/api/space', rawQuery: 'password=x',
 *   decision: 'allowed', reason: '', upstreamStatus: 200, clientIp: '10.0.0.1',
 *   userAgent: 'curl/8', durationMs: 12, secret: presented }));
 */
export function createAuditRecordBuilder(options: AuditRecordBuilderOptions): AuditRecordBuilder {
  const names = redactedParamNames(options.redactParams ?? []);
  const node = clean(options.node, FIELD_LIMITS.node, []);
  /** By presented secret; '' = no secret (nothing to scrub). */
  const memos = new Map<string, FieldMemo>();

  const newMemo = (secrets: readonly SecretForms[]): FieldMemo => ({
    secrets,
    byField: new Array<Map<string, string> | undefined>(FIELD_COUNT).fill(undefined),
  });

  /** Remembers `cleaned` as the cleaned text of `value` in `field`. */
  const keep = (memo: FieldMemo, field: number, value: string, cleaned: string): void => {
    let seen = memo.byField[field];
    if (seen === undefined) {
      seen = new Map();
      memo.byField[field] = seen;
    } else if (seen.size >= MEMO_VALUES) {
      seen.clear();
    }
    seen.set(value, cleaned);
  };

  /** The memo for a call with one secret (or none); null with extra secrets (admin records: rare). */
  const memoOf = (input: AuditRecordInput): FieldMemo | null => {
    if (input.extraSecrets !== undefined && input.extraSecrets.length > 0) return null;
    const key = input.secret ?? '';
    let memo = memos.get(key);
    if (memo === undefined) {
      const forms = secretForms(input.secret);
      memo = newMemo(forms === null ? [] : [forms]);
      if (memos.size >= MEMO_SECRETS) memos.clear();
      memos.set(key, memo);
    }
    return memo;
  };

  /** `clean(prepare(value))`, remembered per field for short values (`prepare`: e.g. redacting a query). */
  const cleanField = (
    memo: FieldMemo,
    field: number,
    value: string,
    limit: number,
    prepare?: (value: string) => string,
  ): string => {
    if (value.length > MEMO_MAX_LENGTH)
      return clean(prepare === undefined ? value : prepare(value), limit, memo.secrets);
    let cleaned = memo.byField[field]?.get(value);
    if (cleaned === undefined) {
      cleaned = clean(prepare === undefined ? value : prepare(value), limit, memo.secrets);
      keep(memo, field, value, cleaned);
    }
    return cleaned;
  };

  const cleanFieldOrNull = (memo: FieldMemo, field: number, value: string | null, limit: number): string | null =>
    value === null ? null : cleanField(memo, field, value, limit);

  const redact = (rawQuery: string): string => redactQuery(rawQuery, names);

  /** The reason, never quoting a redacted parameter's value (then not remembered: it depends on the query). */
  const reasonOf = (memo: FieldMemo, input: AuditRecordInput): string => {
    // an allowed call has no reason: nothing in it to redact (skips parsing the query per call)
    if (input.reason === '') return cleanField(memo, REASON, input.reason, FIELD_LIMITS.reason);
    const hidden = redactedParamValues(input.rawQuery, names);
    if (hidden.length === 0) return cleanField(memo, REASON, input.reason, FIELD_LIMITS.reason);
    return clean(redactReasonValues(input.reason, hidden), FIELD_LIMITS.reason, memo.secrets);
  };

  return (input) => {
    const memo = memoOf(input) ?? newMemo(secretsOf(input));
    const status = input.upstreamStatus;
    return {
      time: wholeNonNegative(input.time),
      tokenId: cleanFieldOrNull(memo, TOKEN_ID, input.tokenId, FIELD_LIMITS.tokenId),
      tokenLabel: cleanFieldOrNull(memo, TOKEN_LABEL, input.tokenLabel, FIELD_LIMITS.tokenLabel),
      user: cleanFieldOrNull(memo, USER, input.user, FIELD_LIMITS.user),
      authMethod: cleanFieldOrNull(memo, AUTH_METHOD, input.authMethod, FIELD_LIMITS.authMethod),
      method: cleanField(memo, METHOD, input.method, FIELD_LIMITS.method),
      path: cleanField(memo, PATH, input.path, FIELD_LIMITS.path),
      query: cleanField(memo, QUERY, input.rawQuery, FIELD_LIMITS.query, redact),
      decision: input.decision,
      reason: reasonOf(memo, input),
      upstreamStatus: status !== null && Number.isInteger(status) ? status : null,
      clientIp: cleanField(memo, CLIENT_IP, input.clientIp, FIELD_LIMITS.clientIp),
      userAgent: cleanField(memo, USER_AGENT, input.userAgent, FIELD_LIMITS.userAgent),
      durationMs: wholeNonNegative(input.durationMs),
      node,
    };
  };
}

function secretsOf(input: AuditRecordInput): SecretForms[] {
  const out: SecretForms[] = [];
  const first = secretForms(input.secret);
  if (first !== null) out.push(first);
  for (const extra of input.extraSecrets ?? []) {
    const forms = secretForms(extra);
    if (forms !== null) out.push(forms);
  }
  return out;
}

/** An administrative action (always recorded, whatever the `auditLog` switch). */
export interface AdminActionInput {
  readonly time: number;
  /** Who did it (username). */
  readonly actor: string;
  /** How the actor authenticated: `basic`, `bearer`, `session` (web page) or `cli`. */
  readonly authMethod: string | null;
  readonly method: string;
  readonly path: string;
  /**
   * What was done, for people: e.g. `token created: "ci deploy" for bob`, `settings changed:
   * auditLog=false`, `user disabled: alice`. Never put a secret here (it is scrubbed anyway
   * when `secret` is given).
   */
  readonly action: string;
  /** The token the action is about (created or deleted), when there is one. */
  readonly tokenId?: string | null;
  readonly tokenLabel?: string | null;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly durationMs?: number;
  /** The actor's presented credential, scrubbed from every field. */
  readonly secret?: string | null;
  /** More secrets to scrub (e.g. the value of the token just created). */
  readonly extraSecrets?: readonly string[];
}

/**
 * An `admin` record: who did which administrative action. Built by the same rules as token
 * calls; `user` is the actor.
 *
 * @example
 * writer.enqueue(adminAuditRecord(build, { time: now(), actor: 'admin', authMethod: 'basic',
 *   method: 'POST', path: '/rest/extender/1.0/tokenTools/set', action: 'settings changed: auditLog=false',
 *   clientIp: ip, userAgent: ua, secret: presented }));
 */
export function adminAuditRecord(build: AuditRecordBuilder, input: AdminActionInput): AuditRecord {
  return build({
    time: input.time,
    tokenId: input.tokenId ?? null,
    tokenLabel: input.tokenLabel ?? null,
    user: input.actor,
    authMethod: input.authMethod,
    method: input.method,
    path: input.path,
    rawQuery: '',
    decision: 'admin',
    reason: input.action,
    upstreamStatus: null,
    clientIp: input.clientIp,
    userAgent: input.userAgent,
    durationMs: input.durationMs ?? 0,
    secret: input.secret ?? null,
    extraSecrets: input.extraSecrets ?? [],
  });
}
