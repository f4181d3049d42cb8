/**
 * The webhook outbox in SQL, for both dialects: events (unique keys), per-receiver deliveries
 * with leases, the expiry scan's range queries and the addresses seen per token.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import type { DialectHooks } from './dialect-hooks.js';
import type { ClaimedDelivery, DeliveryOutcome, NewWebhookEvent, SeenAddress, TokenRecord } from './models.js';
import { num, toToken } from './rows.js';

/** Events per INSERT statement (6 parameters each). */
const EVENTS_PER_STATEMENT = 500;
/** Longest error text kept on a delivery row. */
const MAX_ERROR_TEXT = 300;

/**
 * Inserts `events`, skipping those whose key exists; returns how many were inserted. On
 * PostgreSQL the change writers' advisory lock is taken first, so event ids commit in order and a
 * receiver's "last event id" never skips an event that commits late.
 */
export async function insertEvents(
  trx: Kysely<Database>,
  hooks: DialectHooks,
  events: readonly NewWebhookEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  await hooks.beforeChanges(trx);
  let inserted = 0;
  for (let i = 0; i < events.length; i += EVENTS_PER_STATEMENT) {
    const rows = await trx
      .insertInto('webhook_events')
      .values(
        events.slice(i, i + EVENTS_PER_STATEMENT).map((e) => ({
          event_key: e.key,
          type: e.type,
          token_id: e.tokenId,
          body: e.body,
          created_at: e.createdAt,
        })),
      )
      .onConflict((oc) => oc.column('event_key').doNothing())
      .returning('id')
      .execute();
    inserted += rows.length;
  }
  return inserted;
}

/**
 * Makes the deliveries of `receiver` for the outbox events after its last one (of `types`, or
 * every type), at most `limit`; a receiver seen for the first time starts with the events
 * created from `firstSince` on. Idempotent: several nodes may do it at once. Returns how many
 * events were looked at (the caller repeats while it is `limit`).
 */
export async function fanOut(
  db: Kysely<Database>,
  hooks: DialectHooks,
  receiver: string,
  types: readonly string[] | null,
  now: number,
  firstSince: number,
  limit: number,
): Promise<number> {
  return hooks.write(db, async (trx) => {
    let cursor = await trx
      .selectFrom('webhook_receivers')
      .select('last_event_id')
      .where('receiver', '=', receiver)
      .executeTakeFirst();
    if (cursor === undefined) {
      const before = await trx
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .where('created_at', '<', firstSince)
        .executeTakeFirst();
      await trx
        .insertInto('webhook_receivers')
        .values({ receiver, last_event_id: before?.id == null ? 0 : num(before.id) })
        .onConflict((oc) => oc.column('receiver').doNothing())
        .execute();
      cursor = await trx
        .selectFrom('webhook_receivers')
        .select('last_event_id')
        .where('receiver', '=', receiver)
        .executeTakeFirstOrThrow();
    }
    const after = num(cursor.last_event_id);
    const events = await trx
      .selectFrom('webhook_events')
      .select(['id', 'type'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    if (events.length === 0) return 0;
    const wanted = events.filter((e) => types === null || types.includes(e.type));
    if (wanted.length > 0) {
      await trx
        .insertInto('webhook_deliveries')
        .values(
          wanted.map((e) => ({
            event_id: num(e.id),
            receiver,
            state: 'pending',
            attempts: 0,
            next_at: now,
            lease_owner: null,
            lease_until: 0,
            last_error: null,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['event_id', 'receiver']).doNothing())
        .execute();
    }
    const last = num((events[events.length - 1] as { id: number }).id);
    // never moves back (another node may have gone further meanwhile)
    await trx
      .updateTable('webhook_receivers')
      .set({ last_event_id: last })
      .where('receiver', '=', receiver)
      .where('last_event_id', '<', last)
      .execute();
    return events.length;
  });
}

/**
 * Claims up to `limit` due deliveries of `receivers` for `node` until `now + leaseMs`: one
 * statement, so two nodes never claim the same delivery while its lease runs (PostgreSQL skips
 * rows another node is claiming; SQLite writers are serialised).
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  hooks: DialectHooks,
  receivers: readonly string[],
  node: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  if (receivers.length === 0) return [];
  const lock = hooks.dialect === 'postgres' ? sql` for update skip locked` : sql``;
  const claimed = await hooks.write(db, async (trx) => {
    const { rows } = await sql<{ id: number; event_id: number; receiver: string; attempts: number }>`
      update webhook_deliveries
         set lease_owner = ${node}, lease_until = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
       where id in (select id from webhook_deliveries
                     where state = 'pending' and next_at <= ${now} and lease_until <= ${now}
                       and receiver in (${sql.join(receivers)})
                     order by next_at, id
                     limit ${limit}${lock})
         and lease_until <= ${now}
      returning id, event_id, receiver, attempts`.execute(trx);
    return rows;
  });
  if (claimed.length === 0) return [];
  const events = await db
    .selectFrom('webhook_events')
    .select(['id', 'type', 'body'])
    .where(
      'id',
      'in',
      claimed.map((c) => num(c.event_id)),
    )
    .execute();
  const byId = new Map(events.map((e) => [num(e.id), e]));
  return claimed.flatMap((c) => {
    const event = byId.get(num(c.event_id));
    return event === undefined
      ? []
      : [{ id: num(c.id), receiver: c.receiver, type: event.type, body: event.body, attempts: num(c.attempts) }];
  });
}

/** Records how an attempt of delivery `id` by `node` ended (only while `node` holds its lease). */
export async function finishDelivery(
  db: Kysely<Database>,
  hooks: DialectHooks,
  id: number,
  node: string,
  outcome: DeliveryOutcome,
  now: number,
): Promise<void> {
  await hooks.write(db, (trx) =>
    trx
      .updateTable('webhook_deliveries')
      .set(
        outcome.delivered
          ? { state: 'delivered', lease_owner: null, lease_until: 0, last_error: null, updated_at: now }
          : {
              state: outcome.retryAt === null ? 'failed' : 'pending',
              next_at: outcome.retryAt ?? now,
              lease_owner: null,
              lease_until: 0,
              last_error: outcome.error.slice(0, MAX_ERROR_TEXT),
              updated_at: now,
            },
      )
      .where('id', '=', id)
      .where('lease_owner', '=', node)
      .execute(),
  );
}

/**
 * Tokens that reached the mark `daysMs` before their expiry and have no event of key
 * `<id>|token.expiring|<mark>` yet, soonest first: a range on the `valid_until` index. Tokens
 * created already inside the mark are skipped (they were made that short on purpose).
 */
export async function tokensAtExpiringMark(
  db: Kysely<Database>,
  now: number,
  daysMs: number,
  mark: string,
  limit: number,
): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('tokens as t')
    .selectAll('t')
    .where('t.valid_until', '>', now)
    .where('t.valid_until', '<=', now + daysMs)
    .where((eb) => eb('t.date_created', '<', eb(eb.ref('t.valid_until'), '-', daysMs)))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_events as e')
            .select('e.id')
            .where('e.event_key', '=', sql<string>`${sql.ref('t.id')} || ${`|token.expiring|${mark}`}`),
        ),
      ),
    )
    .orderBy('t.valid_until')
    .limit(limit)
    .execute();
  return rows.map(toToken);
}

/** Tokens that expired after `since` and up to `now` without a `token.expired` event yet. */
export async function tokensExpiredSince(
  db: Kysely<Database>,
  now: number,
  since: number,
  limit: number,
): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('tokens as t')
    .selectAll('t')
    .where('t.valid_until', '>', Math.max(0, since))
    .where('t.valid_until', '<=', now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_events as e')
            .select('e.id')
            .where('e.event_key', '=', sql<string>`${sql.ref('t.id')} || ${'|token.expired'}`),
        ),
      ),
    )
    .orderBy('t.valid_until')
    .limit(limit)
    .execute();
  return rows.map(toToken);
}

/**
 * Records the (token, address) pairs not seen before and, in the same transaction, the event of
 * each one that is new (only one node ever inserts a pair). Returns how many were new.
 */
export async function recordAddresses(
  db: Kysely<Database>,
  hooks: DialectHooks,
  seen: readonly SeenAddress[],
  now: number,
): Promise<number> {
  if (seen.length === 0) return 0;
  return hooks.write(db, async (trx) => {
    const fresh: NewWebhookEvent[] = [];
    for (const pair of seen) {
      const row = await trx
        .insertInto('token_addresses')
        .values({ token_id: pair.tokenId, address: pair.address, first_seen: now })
        .onConflict((oc) => oc.columns(['token_id', 'address']).doNothing())
        .returning('token_id')
        .executeTakeFirst();
      if (row !== undefined) fresh.push(pair.event);
    }
    await insertEvents(trx, hooks, fresh);
    return fresh.length;
  });
}

/**
 * Deletes, at most `limit` each, deliveries last touched before `before` and events created
 * before it that no delivery still waits for. Returns how many rows went.
 */
export async function pruneOutbox(
  db: Kysely<Database>,
  hooks: DialectHooks,
  before: number,
  limit: number,
): Promise<number> {
  return hooks.write(db, async (trx) => {
    const deliveries = await trx
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('updated_at', '<', before)
          .orderBy('updated_at')
          .limit(limit),
      )
      .executeTakeFirst();
    const events = await trx
      .deleteFrom('webhook_events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_events as e')
          .select('e.id')
          .where('e.created_at', '<', before)
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('webhook_deliveries as d')
                  .select('d.id')
                  .whereRef('d.event_id', '=', 'e.id')
                  .where('d.state', '=', 'pending'),
              ),
            ),
          )
          .orderBy('e.created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(deliveries.numDeletedRows) + Number(events.numDeletedRows);
  });
}
