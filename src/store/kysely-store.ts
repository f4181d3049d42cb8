import { CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import { type AuditExportFormat, exportHeader } from './audit-export.js';
import { auditChunks, overflowDelete } from './audit-overflow.js';
import { auditPage, auditPageQuery } from './audit-page.js';
import { auditStats, oldestAuditTime } from './audit-stats.js';
import { auditWhere } from './audit-where.js';
import { ChangeFeed } from './change-feed.js';
import type { AuditTable, Database } from './database.js';
import type { DialectHooks } from './dialect-hooks.js';
import { type ExportPage, type ExportPageQuery, exportPageOf } from './export-page.js';
import type {
  AuditFilter,
  AuditPage,
  AuditRecord,
  AuditStatsRow,
  Change,
  ChangeKind,
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
import { windowStart } from './rate-window.js';
import {
  AUDIT_COLUMNS,
  AUDIT_SAMPLE_ROW,
  auditParameters,
  isChangeKind,
  keyOf,
  num,
  toAudit,
  tokenRow,
  toToken,
  toUser,
} from './rows.js';
import { mergeSettings, settingsRows } from './settings-rows.js';
import {
  type AuditInsertOptions,
  type AuditInsertResult,
  type ChangeFeedStatus,
  DuplicateTokenError,
  DuplicateUserError,
  type MetaCondition,
  MetaMismatchError,
  type Store,
  type Unsubscribe,
} from './store.js';
import { pageTokens } from './token-page.js';
import { mergeUsage } from './usage.js';
import { pageUsers } from './user-page.js';
import {
  claimDeliveries,
  fanOut,
  finishDelivery,
  insertEvents,
  pruneOutbox,
  recordAddresses,
  tokensAtExpiringMark,
  tokensExpiredSince,
} from './webhook-outbox.js';

/** One row for the change feed, written in the same transaction as the change it announces. */
interface ChangeItem {
  readonly kind: ChangeKind;
  readonly key: string;
}

/** What a mutation returns: its result and the changes it made. */
interface Mutation<T> {
  readonly value: T;
  readonly changes: readonly ChangeItem[];
}

/** Keep change rows of the last 10 minutes or the last 10,000, whichever is more. */
const KEEP_CHANGES_MS = 10 * 60_000;
const KEEP_CHANGES_ROWS = 10_000;
/** Auth-failure windows are kept twice the largest window seen (a day when none was seen). */
const DEFAULT_FAILURE_RETENTION_MS = 24 * 60 * 60_000;
const MAINTENANCE_MS = 60_000;
/** Planner statistics are refreshed every this many maintenance runs (hourly). */
const OPTIMIZE_EVERY = 60;
/** Rows past `maxRows` deleted per audit row inserted, at most (see insertAudit). */
const OVERFLOW_PRUNE_PER_ROW = 2;

/** Audit rows deleted per statement (and transaction) by `pruneAudit`. */
const PRUNE_BATCH = 1000;
const DEFAULT_PAGE = 500;
/** The audit query counts matching records up to this many beyond the page's end (then "at least"). */
export const AUDIT_COUNT_BEYOND_PAGE = 1000;
/** Audit rows per INSERT statement (fewer than the parameter limits allow: faster to prepare). */
const AUDIT_ROWS_PER_STATEMENT = 128;

/**
 * The {@link Store} over a migrated `Kysely<Database>`: all query code, for both SQLite and
 * PostgreSQL. Dialect differences live in {@link DialectHooks}.
 */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  readonly #hooks: DialectHooks;
  readonly #feed: ChangeFeed;
  readonly #maintenance: NodeJS.Timeout;
  readonly #auditInsertCache = new Map<number, string>();
  #largestFailureWindow = 0;
  #maintenanceRuns = 0;
  #closing: Promise<void> | undefined;
  /** Write transactions begun and not yet finished: `close` waits for them (nothing is lost). */
  readonly #writes = new Set<Promise<unknown>>();

  private constructor(db: Kysely<Database>, hooks: DialectHooks, startSeq: number) {
    this.dialect = hooks.dialect;
    this.#db = db;
    this.#hooks = hooks;
    const hasNews = hooks.hasNews;
    this.#feed = new ChangeFeed({
      read: (after, limit) => this.changesAfter(after, limit),
      ...(hasNews !== undefined && { hasNews: () => hasNews.call(hooks, db) }),
      ...(hooks.feedSignal !== undefined && { signal: hooks.feedSignal }),
      pollMs: hooks.pollMs,
      startSeq,
    });
    this.#maintenance = setInterval(() => {
      this.maintain(Date.now()).catch(() => {
        // retried on the next interval; a busy database is no reason to stop
      });
    }, MAINTENANCE_MS);
    this.#maintenance.unref();
  }

  /**
   * A store over `db` (already migrated). The change feed starts at the current sequence.
   *
   * @example
   * const store = await KyselyStore.open(db, sqliteHooks('/data/tokengate.db'));
   */
  static async open(db: Kysely<Database>, hooks: DialectHooks): Promise<KyselyStore> {
    const row = await db
      .selectFrom('changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return new KyselyStore(db, hooks, num(row?.seq));
  }

  // ---- users -------------------------------------------------------------------------------

  async createUser(user: NewUser): Promise<User> {
    const email = user.email === undefined || user.email === '' ? null : user.email;
    const row = {
      username_key: keyOf(user.username),
      username: user.username,
      email,
      email_key: email === null ? null : keyOf(email),
      display_name: user.displayName ?? null,
      admin: this.#hooks.bool(user.admin ?? false),
      active: this.#hooks.bool(user.active ?? true),
      password_hash: user.passwordHash ?? null,
      date_created: Date.now(),
    };
    try {
      await this.#mutate(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        return { value: undefined, changes: [{ kind: 'user', key: row.username_key }] };
      });
    } catch (err) {
      const violated = this.#hooks.uniqueViolation(err);
      if (violated !== undefined) throw new DuplicateUserError(violated.includes('email') ? 'email' : 'username');
      throw err;
    }
    return toUser(row);
  }

  async findUser(nameOrEmail: string, byEmailToo = false): Promise<User | undefined> {
    const key = keyOf(nameOrEmail);
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where((eb) =>
        byEmailToo ? eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]) : eb('username_key', '=', key),
      )
      .execute();
    const row = rows.find((r) => r.username_key === key) ?? rows[0];
    return row === undefined ? undefined : toUser(row);
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.#db.selectFrom('users').selectAll().orderBy('username_key').execute();
    return rows.map(toUser);
  }

  async pageUsers(query: UserPageQuery): Promise<User[]> {
    return pageUsers(this.#db, query, this.#hooks.bool(true));
  }

  async setUserActive(username: string, active: boolean): Promise<boolean> {
    return this.#updateUser(username, { active: this.#hooks.bool(active) });
  }

  async setUserPassword(username: string, passwordHash: string | null): Promise<boolean> {
    return this.#updateUser(username, { password_hash: passwordHash });
  }

  async deleteUser(
    username: string,
    eventsFor: (tokens: readonly TokenRecord[]) => readonly NewWebhookEvent[] = () => [],
  ): Promise<{ user: User; tokens: TokenRecord[] } | undefined> {
    const key = keyOf(username);
    return this.#mutate(async (trx) => {
      const userRow = await trx.deleteFrom('users').where('username_key', '=', key).returningAll().executeTakeFirst();
      if (userRow === undefined) return { value: undefined, changes: [] };
      const tokenRows = await trx.deleteFrom('tokens').where('user_key', '=', key).returningAll().execute();
      // their own upstream credential goes with them, and the addresses seen for their tokens
      await trx.deleteFrom('upstream_credentials').where('username_key', '=', key).execute();
      const tokenIds = tokenRows.map((row) => row.id);
      for (let i = 0; i < tokenIds.length; i += 500) {
        await trx
          .deleteFrom('token_addresses')
          .where('token_id', 'in', tokenIds.slice(i, i + 500))
          .execute();
      }
      const tokens = tokenRows.map(toToken);
      // the tokens' deletion events, in the same transaction as the deletion
      await insertEvents(trx, this.#hooks, eventsFor(tokens));
      const changes: ChangeItem[] = [
        { kind: 'user', key },
        ...tokenRows.map((row): ChangeItem => ({ kind: 'token', key: row.digest })),
      ];
      return { value: { user: toUser(userRow), tokens }, changes };
    });
  }

  async setUpstreamCredential(username: string, credential: StoredUpstreamCredential | null): Promise<boolean> {
    const key = keyOf(username);
    return this.#mutate(async (trx) => {
      if (credential === null) {
        const result = await trx.deleteFrom('upstream_credentials').where('username_key', '=', key).executeTakeFirst();
        const found = Number(result.numDeletedRows) > 0;
        return { value: found, changes: found ? [{ kind: 'user', key }] : [] };
      }
      const user = await trx
        .selectFrom('users')
        .select('username_key')
        .where('username_key', '=', key)
        .executeTakeFirst();
      if (user === undefined) return { value: false, changes: [] };
      const row = { username_key: key, type: credential.type, sealed: credential.sealed, date_set: credential.dateSet };
      await trx
        .insertInto('upstream_credentials')
        .values(row)
        .onConflict((oc) =>
          oc.column('username_key').doUpdateSet({ type: row.type, sealed: row.sealed, date_set: row.date_set }),
        )
        .execute();
      return { value: true, changes: [{ kind: 'user', key }] };
    });
  }

  async findUpstreamCredential(username: string): Promise<StoredUpstreamCredential | undefined> {
    const row = await this.#db
      .selectFrom('upstream_credentials')
      .selectAll()
      .where('username_key', '=', keyOf(username))
      .executeTakeFirst();
    if (row === undefined || (row.type !== 'basic' && row.type !== 'bearer')) return undefined;
    return { type: row.type, sealed: row.sealed, dateSet: num(row.date_set) };
  }

  async hasUpstreamCredentials(): Promise<boolean> {
    const row = await this.#db.selectFrom('upstream_credentials').select('username_key').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async #updateUser(
    username: string,
    set: { active?: number | boolean; password_hash?: string | null },
  ): Promise<boolean> {
    const key = keyOf(username);
    return this.#mutate(async (trx) => {
      const result = await trx.updateTable('users').set(set).where('username_key', '=', key).executeTakeFirst();
      const found = Number(result.numUpdatedRows) > 0;
      return { value: found, changes: found ? [{ kind: 'user', key }] : [] };
    });
  }

  // ---- tokens ------------------------------------------------------------------------------

  async insertToken(
    token: TokenRecord,
    requireMeta?: MetaCondition,
    events: readonly NewWebhookEvent[] = [],
  ): Promise<void> {
    try {
      await this.#mutate(async (trx) => {
        if (requireMeta !== undefined) {
          const row = await trx
            .selectFrom('meta')
            .select('value')
            .where('key', '=', requireMeta.key)
            .executeTakeFirst();
          if (row?.value !== requireMeta.value) throw new MetaMismatchError(requireMeta.key);
        }
        await trx.insertInto('tokens').values(tokenRow(token)).execute();
        await insertEvents(trx, this.#hooks, events);
        return { value: undefined, changes: [{ kind: 'token', key: token.digest }] };
      });
    } catch (err) {
      if (this.#hooks.uniqueViolation(err)?.includes('digest')) throw new DuplicateTokenError();
      throw err;
    }
  }

  async findTokenByDigest(digest: string): Promise<TokenRecord | undefined> {
    const row = await this.#db.selectFrom('tokens').selectAll().where('digest', '=', digest).executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  async findTokenById(id: string): Promise<TokenRecord | undefined> {
    const row = await this.#db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  async listTokens(user?: string): Promise<TokenRecord[]> {
    let query = this.#db.selectFrom('tokens').selectAll();
    if (user !== undefined) query = query.where('user_key', '=', keyOf(user));
    const rows = await query.orderBy('date_created', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toToken);
  }

  async pageTokens(query: TokenPageQuery): Promise<TokenPage> {
    return pageTokens(this.#db, this.#hooks.dialect, query);
  }

  async anyToken(withSecret = false): Promise<boolean> {
    const row = await this.#db
      .selectFrom('tokens')
      .select('id')
      .$if(withSecret, (q) => q.where('secret_ciphertext', 'is not', null))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteToken(id: string, events: readonly NewWebhookEvent[] = []): Promise<TokenRecord | undefined> {
    return this.#mutate(async (trx) => {
      const row = await trx.deleteFrom('tokens').where('id', '=', id).returningAll().executeTakeFirst();
      if (row === undefined) return { value: undefined, changes: [] };
      await trx.deleteFrom('token_addresses').where('token_id', '=', id).execute();
      await insertEvents(trx, this.#hooks, events);
      return { value: toToken(row), changes: [{ kind: 'token', key: row.digest }] };
    });
  }

  async rotateToken(
    oldId: string,
    replacement: TokenRecord,
    oldValidUntil: number | null,
    events: readonly NewWebhookEvent[] = [],
  ): Promise<{ readonly before: TokenRecord; readonly after: TokenRecord } | undefined> {
    try {
      return await this.#mutate(async (trx) => {
        const old = await trx.selectFrom('tokens').selectAll().where('id', '=', oldId).executeTakeFirst();
        if (old === undefined) return { value: undefined, changes: [] };
        if (oldValidUntil === null) {
          await trx.deleteFrom('tokens').where('id', '=', oldId).execute();
          await trx.deleteFrom('token_addresses').where('token_id', '=', oldId).execute();
        } else {
          const current = num(old.valid_until);
          const until = current === 0 ? oldValidUntil : Math.min(current, oldValidUntil);
          await trx.updateTable('tokens').set({ valid_until: until }).where('id', '=', oldId).execute();
        }
        // the replacement counts on from the old token's count as it is now, in its lineage
        const stored: TokenRecord = {
          ...replacement,
          quotaUsed: num(old.quota_used),
          lineageId: old.lineage_id ?? old.id,
        };
        await trx.insertInto('tokens').values(tokenRow(stored)).execute();
        await insertEvents(trx, this.#hooks, events);
        return {
          value: { before: toToken(old), after: stored },
          changes: [
            { kind: 'token', key: old.digest },
            { kind: 'token', key: replacement.digest },
          ],
        };
      });
    } catch (err) {
      if (this.#hooks.uniqueViolation(err)?.includes('digest')) throw new DuplicateTokenError();
      throw err;
    }
  }

  async wipeSecrets(): Promise<number> {
    return this.#mutate(async (trx) => {
      const rows = await trx
        .updateTable('tokens')
        .set({ secret_ciphertext: null })
        .where('secret_ciphertext', 'is not', null)
        .returning('digest')
        .execute();
      return { value: rows.length, changes: rows.map((r) => ({ kind: 'token', key: r.digest })) };
    });
  }

  async addUsage(deltas: readonly UsageDelta[]): Promise<void> {
    const merged = mergeUsage(deltas);
    if (merged.length === 0) return;
    await this.#write(async (trx) => {
      for (const d of merged) {
        await trx
          .updateTable('tokens')
          .set((eb) => ({
            counter: eb('counter', '+', d.calls),
            ip: eb.case().when('last_used', '<=', d.lastUsed).then(d.ip).else(eb.ref('ip')).end(),
            last_used: eb.case().when('last_used', '<', d.lastUsed).then(d.lastUsed).else(eb.ref('last_used')).end(),
          }))
          .where('id', '=', d.tokenId)
          .execute();
      }
    });
  }

  // ---- settings and metadata ---------------------------------------------------------------

  async getSettings(): Promise<RuntimeSettings> {
    return mergeSettings(await this.#db.selectFrom('settings').selectAll().execute());
  }

  async updateSettings(patch: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
    const rows = settingsRows(patch);
    return this.#mutate(async (trx) => {
      for (const row of rows) {
        await trx
          .insertInto('settings')
          .values(row)
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value }))
          .execute();
      }
      const value = mergeSettings(await trx.selectFrom('settings').selectAll().execute());
      return { value, changes: rows.length > 0 ? [{ kind: 'settings', key: '' }] : [] };
    });
  }

  async getMeta(key: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#write((trx) =>
      trx
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute(),
    );
  }

  async claimMeta(key: string, value: string): Promise<string> {
    return this.#write(async (trx) => {
      await trx
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await trx.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
      return row.value;
    });
  }

  // ---- audit -------------------------------------------------------------------------------

  async insertAudit(records: readonly AuditRecord[], options: AuditInsertOptions = {}): Promise<AuditInsertResult> {
    if (records.length === 0) return { pruned: 0 };
    const perStatement = Math.min(AUDIT_ROWS_PER_STATEMENT, Math.floor(this.#hooks.maxParams / AUDIT_COLUMNS));
    const maxRows = options.maxRows ?? 0;
    return this.#write(async (trx) => {
      for (const [start, rows] of auditChunks(records.length, perStatement)) {
        const chunk = records.slice(start, start + rows);
        await trx.executeQuery(CompiledQuery.raw(this.#auditInsertSql(rows), auditParameters(chunk)));
      }
      if (maxRows <= 0) return { pruned: 0 };
      // In the same transaction, so the table never holds more than maxRows once committed; at
      // most a bounded number per batch, so a bound lowered on a large table converges over batches.
      return { pruned: await overflowDelete(trx, maxRows, OVERFLOW_PRUNE_PER_ROW * records.length + PRUNE_BATCH) };
    });
  }

  async pruneAuditOverflow(maxRows: number, limit: number): Promise<number> {
    if (maxRows <= 0) return 0;
    return this.#write((trx) => overflowDelete(trx, maxRows, limit));
  }

  /** Kysely's SQL for inserting `rows` audit rows, compiled once per row count (the hot path). */
  #auditInsertSql(rows: number): string {
    let text = this.#auditInsertCache.get(rows);
    if (text === undefined) {
      text = this.#db
        .insertInto('audit')
        .values(Array.from({ length: rows }, () => AUDIT_SAMPLE_ROW))
        .compile().sql;
      this.#auditInsertCache.set(rows, text);
    }
    return text;
  }

  async queryAudit(filter: AuditFilter, startAt: number, maxResults: number): Promise<AuditPage> {
    // counting stops after the cap: a large log is never counted in full for one page
    const cap = startAt + maxResults + AUDIT_COUNT_BEYOND_PAGE;
    const counted = await this.#db
      .selectFrom((eb) =>
        eb
          .selectFrom('audit')
          .select(sql.lit(1).as('one'))
          .where((w) => auditWhere(w, filter))
          .limit(cap + 1)
          .as('matching'),
      )
      .select((eb) => eb.fn.countAll().as('total'))
      .executeTakeFirst();
    const rows = await auditPage(this.#db, filter, { limit: maxResults, offset: startAt });
    const total = num(counted?.total);
    return total > cap
      ? { total: cap, totalIsLowerBound: true, entries: rows.map(toAudit) }
      : { total, totalIsLowerBound: false, entries: rows.map(toAudit) };
  }

  /** Newest first, by (time, id) descending; pages are read with a keyset, never OFFSET. */
  async *iterateAudit(filter: AuditFilter, pageSize = DEFAULT_PAGE): AsyncIterable<StoredAuditRecord> {
    const size = Math.max(1, Math.floor(pageSize));
    let last: StoredAuditRecord | undefined;
    for (;;) {
      const rows = await auditPage(this.#db, filter, {
        limit: size,
        ...(last !== undefined && { after: { time: last.time, id: last.id } }),
      });
      for (const row of rows) {
        last = toAudit(row);
        yield last;
      }
      if (rows.length < size) return;
    }
  }

  async *exportAudit(filter: AuditFilter, format: AuditExportFormat, pageSize = DEFAULT_PAGE): AsyncIterable<string> {
    const size = Math.max(1, Math.floor(pageSize));
    const header = exportHeader(format);
    if (header !== '') yield header;
    let after: ExportPage['last'];
    for (;;) {
      const query = auditPageQuery(this.#db, filter, { limit: size, ...(after !== undefined && { after }) });
      if (query === undefined) return;
      const page = await this.#exportPage(query.compile(), format);
      if (page.text !== '') yield page.text;
      if (page.count < size || page.last === undefined) return;
      after = page.last;
    }
  }

  /** One page of an export: formatted by the connection where it can (SQLite's thread), else here. */
  async #exportPage(compiled: CompiledQuery<Selectable<AuditTable>>, format: AuditExportFormat): Promise<ExportPage> {
    if (this.#hooks.formatsExportPages === true) {
      const marked: ExportPageQuery = { ...compiled, exportFormat: format };
      const page = (await this.#db.executeQuery<ExportPage>(marked)).rows[0];
      if (page === undefined) throw new Error('the database answered no export page');
      return page;
    }
    return exportPageOf((await this.#db.executeQuery(compiled)).rows.map(toAudit), format);
  }

  auditStats(filter: AuditFilter, range: TimeRange, bucketMs: number): Promise<AuditStatsRow[]> {
    return auditStats(this.#db, this.#hooks, filter, range, bucketMs);
  }

  oldestAuditTime(filter: AuditFilter): Promise<number | null> {
    return oldestAuditTime(this.#db, filter);
  }

  async auditAfter(afterId: number, limit: number): Promise<StoredAuditRecord[]> {
    const rows = await this.#db
      .selectFrom('audit')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toAudit);
  }

  async pruneAudit(before: number, limit: number): Promise<number> {
    let deleted = 0;
    while (deleted < limit) {
      const batch = Math.min(PRUNE_BATCH, limit - deleted);
      const result = await this.#write((trx) =>
        trx
          .deleteFrom('audit')
          .where('id', 'in', (eb) =>
            eb.selectFrom('audit').select('id').where('time', '<', before).orderBy('time').limit(batch),
          )
          .executeTakeFirst(),
      );
      const n = Number(result.numDeletedRows);
      deleted += n;
      if (n < batch) break;
    }
    return deleted;
  }

  // ---- change feed -------------------------------------------------------------------------

  async currentChangeSeq(): Promise<number> {
    const row = await this.#db
      .selectFrom('changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return num(row?.seq);
  }

  async changesAfter(afterSeq: number, limit = 1000): Promise<Change[]> {
    const rows = await this.#db
      .selectFrom('changes')
      .select(['seq', 'kind', 'key'])
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    const out: Change[] = [];
    for (const row of rows) {
      if (isChangeKind(row.kind)) out.push({ seq: num(row.seq), kind: row.kind, key: row.key });
    }
    return out;
  }

  subscribe(listener: (change: Change) => void): Unsubscribe {
    return this.#feed.subscribe(listener);
  }

  changeFeedStatus(): ChangeFeedStatus {
    return this.#feed.status();
  }

  // ---- nodes -------------------------------------------------------------------------------

  async heartbeat(nodeId: string, secureMode: boolean, now: number): Promise<void> {
    const secure = this.#hooks.bool(secureMode);
    await this.#write((trx) =>
      trx
        .insertInto('nodes')
        .values({ node_id: nodeId, secure_mode: secure, last_seen: now })
        .onConflict((oc) => oc.column('node_id').doUpdateSet({ secure_mode: secure, last_seen: now }))
        .execute(),
    );
  }

  async liveNodes(since: number): Promise<{ nodeId: string; secureMode: boolean; lastSeen: number }[]> {
    const rows = await this.#db
      .selectFrom('nodes')
      .selectAll()
      .where('last_seen', '>=', since)
      .orderBy('node_id')
      .execute();
    return rows.map((r) => ({ nodeId: r.node_id, secureMode: Boolean(r.secure_mode), lastSeen: num(r.last_seen) }));
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.#write((trx) => trx.deleteFrom('nodes').where('node_id', '=', nodeId).execute());
  }

  // ---- failed-authentication limiter -------------------------------------------------------

  async recordAuthFailure(key: string, windowMs: number, now: number): Promise<number> {
    if (windowMs > this.#largestFailureWindow) this.#largestFailureWindow = windowMs;
    const row = await this.#write((trx) =>
      trx
        .insertInto('auth_failures')
        .values({ key, window_start: windowStart(windowMs, now), count: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_start'])
            .doUpdateSet((eb) => ({ count: eb(eb.ref('auth_failures.count'), '+', 1) })),
        )
        .returning('count')
        .executeTakeFirstOrThrow(),
    );
    return num(row.count);
  }

  async releaseAuthFailure(key: string, windowMs: number, now: number): Promise<void> {
    await this.#write((trx) =>
      trx
        .updateTable('auth_failures')
        .set((eb) => ({ count: eb(eb.ref('count'), '-', 1) }))
        .where('key', '=', key)
        .where('window_start', '=', windowStart(windowMs, now))
        .where('count', '>', 0)
        .execute(),
    );
  }

  async authFailures(key: string, windowMs: number, now: number): Promise<number> {
    const row = await this.#db
      .selectFrom('auth_failures')
      .select('count')
      .where('key', '=', key)
      .where('window_start', '=', windowStart(windowMs, now))
      .executeTakeFirst();
    return num(row?.count);
  }

  // ---- token policy ------------------------------------------------------------------------

  async countRateWindow(key: string, windowMs: number, now: number, calls = 1): Promise<number> {
    const start = windowStart(windowMs, now);
    const n = Math.max(1, Math.floor(calls));
    // one statement (an upsert that returns the count): atomic by itself, no transaction round trips
    const row = await this.#hooks.writeOne(this.#db, (conn) =>
      conn
        .insertInto('rate_windows')
        .values({ key, window_start: start, window_end: start + Math.max(1, Math.floor(windowMs)), count: n })
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_start'])
            .doUpdateSet((eb) => ({ count: eb(eb.ref('rate_windows.count'), '+', n) })),
        )
        .returning('count')
        .executeTakeFirstOrThrow(),
    );
    return num(row.count);
  }

  async useQuota(lineage: string, exhaustedEvent?: () => NewWebhookEvent): Promise<number | null> {
    // One conditional UPDATE of every token of the lineage (each holds the same count: a
    // rotation copies it in its transaction): the row locks, taken in id order, serialise
    // concurrent calls, and the condition keeps the count from ever passing the quota. The call
    // that uses the last one records the event in the same transaction, so it survives a crash
    // right after.
    const row = await this.#hooks.write(this.#db, async (trx) => {
      const updated = (
        await trx
          .updateTable('tokens')
          .set((eb) => ({ quota_used: eb('quota_used', '+', 1) }))
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('tokens')
              .select('id')
              .where((w) => w.or([w('id', '=', lineage), w('lineage_id', '=', lineage)]))
              .orderBy('id')
              // PostgreSQL: the lineage's rows locked in one order (two calls of a rotated token
              // locking its two rows in opposite orders deadlocked); SQLite writes one at a time
              .$if(this.#hooks.dialect === 'postgres', (q) => q.forUpdate()),
          )
          .where('quota', 'is not', null)
          .where((eb) => eb('quota_used', '<', eb.ref('quota')))
          .returning(['quota_used', 'quota'])
          .execute()
      ).reduce<{ quota_used: number; quota: number | null } | undefined>(
        (most, r) => (most === undefined || num(r.quota_used) > num(most.quota_used) ? r : most),
        undefined,
      );
      if (updated !== undefined && exhaustedEvent !== undefined && num(updated.quota_used) === num(updated.quota)) {
        await insertEvents(trx, this.#hooks, [exhaustedEvent()]);
      }
      return updated;
    });
    return row === undefined ? null : num(row.quota_used);
  }

  // ---- webhook outbox ------------------------------------------------------------------------

  async insertWebhookEvents(events: readonly NewWebhookEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.#write((trx) => insertEvents(trx, this.#hooks, events));
  }

  fanOutWebhookEvents(
    receiver: string,
    types: readonly string[] | null,
    now: number,
    firstSince: number,
    limit: number,
  ): Promise<number> {
    return this.#tracked(fanOut(this.#db, this.#hooks, receiver, types, now, firstSince, limit));
  }

  claimWebhookDeliveries(
    receivers: readonly string[],
    node: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedDelivery[]> {
    return this.#tracked(claimDeliveries(this.#db, this.#hooks, receivers, node, now, leaseMs, limit));
  }

  finishWebhookDelivery(id: number, node: string, outcome: DeliveryOutcome, now: number): Promise<void> {
    return this.#tracked(finishDelivery(this.#db, this.#hooks, id, node, outcome, now));
  }

  tokensAtExpiringMark(now: number, daysMs: number, mark: string, limit: number): Promise<TokenRecord[]> {
    return tokensAtExpiringMark(this.#db, now, daysMs, mark, limit);
  }

  tokensExpiredSince(now: number, since: number, limit: number): Promise<TokenRecord[]> {
    return tokensExpiredSince(this.#db, now, since, limit);
  }

  recordTokenAddresses(seen: readonly SeenAddress[], now: number): Promise<number> {
    return this.#tracked(recordAddresses(this.#db, this.#hooks, seen, now));
  }

  pruneWebhookOutbox(before: number, limit: number): Promise<number> {
    return this.#tracked(pruneOutbox(this.#db, this.#hooks, before, limit));
  }

  // ---- housekeeping ------------------------------------------------------------------------

  /**
   * Deletes change rows older than 10 minutes that are not among the last 10,000, and
   * failed-authentication windows that ended long ago; now and then refreshes the planner's
   * statistics (SQLite). Runs every minute by itself; `keep` overrides the change retention.
   */
  async maintain(now: number, keep: { changesMs?: number; changesRows?: number } = {}): Promise<void> {
    const maxSeq = await this.currentChangeSeq();
    const keepFailures = this.#largestFailureWindow > 0 ? 2 * this.#largestFailureWindow : DEFAULT_FAILURE_RETENTION_MS;
    await this.#write(async (trx) => {
      await trx
        .deleteFrom('changes')
        .where('seq', '<=', maxSeq - (keep.changesRows ?? KEEP_CHANGES_ROWS))
        .where('time', '<', now - (keep.changesMs ?? KEEP_CHANGES_MS))
        .execute();
      await trx
        .deleteFrom('auth_failures')
        .where('window_start', '<', now - keepFailures)
        .execute();
      await trx.deleteFrom('rate_windows').where('window_end', '<', now).execute();
    });
    this.#maintenanceRuns += 1;
    if (this.#maintenanceRuns % OPTIMIZE_EVERY === 0) await this.#hooks.optimize?.(this.#db);
  }

  /** Stops the change feed and timers and closes the database connection(s). Idempotent. */
  async close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#maintenance);
      await this.#feed.close();
      // writes asked for before close still commit (they may be queued behind one another)
      while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
      await this.#db.destroy();
    })();
    return this.#closing;
  }

  /** A write begun elsewhere (the outbox's own transactions), tracked so that `close` waits for it. */
  #tracked<T>(running: Promise<T>): Promise<T> {
    this.#writes.add(running);
    const forget = (): void => {
      this.#writes.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /** Runs `fn` in a write transaction, tracked so that `close` waits for it. */
  #write<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    const running = this.#hooks.write(this.#db, fn);
    this.#writes.add(running);
    const forget = (): void => {
      this.#writes.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /** Runs a write transaction that records its changes in `changes`, then wakes the local feed. */
  async #mutate<T>(fn: (trx: Kysely<Database>) => Promise<Mutation<T>>): Promise<T> {
    const value = await this.#write(async (trx) => {
      const result = await fn(trx);
      if (result.changes.length > 0) await this.#recordChanges(trx, result.changes);
      return { value: result.value, changed: result.changes.length > 0 };
    });
    // This process's own listeners (the auth cache) see the change before the write is answered.
    if (value.changed) await this.#feed.catchUp();
    return value.value;
  }

  async #recordChanges(trx: Kysely<Database>, changes: readonly ChangeItem[]): Promise<void> {
    await this.#hooks.beforeChanges(trx);
    const time = Date.now();
    const perStatement = Math.floor(this.#hooks.maxParams / 3);
    let lastSeq = 0;
    for (let i = 0; i < changes.length; i += perStatement) {
      const rows = await trx
        .insertInto('changes')
        .values(changes.slice(i, i + perStatement).map((c) => ({ kind: c.kind, key: c.key, time })))
        .returning('seq')
        .execute();
      for (const row of rows) lastSeq = Math.max(lastSeq, num(row.seq));
    }
    await this.#hooks.afterChanges(trx, lastSeq);
  }
}
