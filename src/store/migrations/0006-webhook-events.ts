import type { Migration } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Events and webhooks (issue 17): `webhook_events`, the outbox every process writes token events
 * to (the exact JSON body, a unique `event_key` so an event found by several nodes exists once);
 * `webhook_deliveries`, one row per event and receiver with its attempts and the lease of the node
 * delivering it; `webhook_receivers`, how far each receiver's deliveries were made from the
 * outbox; `token_addresses`, the client addresses seen per token (for `token.new_address`).
 * An index on `tokens.valid_until` serves the expiry scan's range query.
 */
export function migration0006(t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', t.autoId, (c) => (t.autoIncrementKeyword ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('token_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_events_key').on('webhook_events').column('event_key').unique().execute();
      await db.schema.createIndex('webhook_events_created').on('webhook_events').column('created_at').execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', t.autoId, (c) => (t.autoIncrementKeyword ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('event_id', t.bigint, (c) => c.notNull())
        .addColumn('receiver', 'text', (c) => c.notNull())
        // pending, delivered or failed (gave up)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_at', t.bigint, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_event_receiver')
        .on('webhook_deliveries')
        .columns(['event_id', 'receiver'])
        .unique()
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .columns(['state', 'next_at'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_updated')
        .on('webhook_deliveries')
        .columns(['updated_at'])
        .execute();

      await db.schema
        .createTable('webhook_receivers')
        .addColumn('receiver', 'text', (c) => c.primaryKey())
        .addColumn('last_event_id', t.bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('token_addresses')
        .addColumn('token_id', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('first_seen', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('token_addresses_pk', ['token_id', 'address'])
        .execute();

      await db.schema.createIndex('tokens_valid_until').on('tokens').column('valid_until').execute();
    },
  };
}
