import type { Migration } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * The initial schema: users, tokens, settings, meta, audit, changes, nodes, auth_failures.
 *
 * Audit indexes serve the newest-first page query (`ORDER BY time DESC, id DESC`) with an
 * optional filter on token, user or decision plus a time range: each index starts with the
 * filter column, then time, then id (SQLite appends the rowid `id` to every index by itself).
 */
export function migration0001(t: DialectTypes): Migration {
  const withId = (columns: string[]): string[] => (t.dialect === 'postgres' ? [...columns, 'id'] : columns);
  return {
    async up(db: MigrationDb): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('username_key', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('email_key', 'text')
        .addColumn('display_name', 'text')
        .addColumn('admin', t.bool, (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('date_created', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_email_key_unique').on('users').column('email_key').unique().execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text')
        .addColumn('user', 'text')
        .addColumn('author', 'text')
        .addColumn('limit_to', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('secret_ciphertext', 'text')
        .addColumn('date_created', t.bigint, (c) => c.notNull())
        .addColumn('valid_until', t.bigint, (c) => c.notNull())
        .addColumn('counter', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('ip', 'text')
        .addColumn('last_used', t.bigint, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('tokens_digest_unique').on('tokens').column('digest').unique().execute();
      await db.schema.createIndex('tokens_user_key').on('tokens').columns(['user_key', 'date_created']).execute();

      for (const table of ['settings', 'meta']) {
        await db.schema
          .createTable(table)
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      }

      await db.schema
        .createTable('audit')
        .addColumn('id', t.autoId, (c) => (t.autoIncrementKeyword ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('time', t.bigint, (c) => c.notNull())
        .addColumn('token_id', 'text')
        .addColumn('token_label', 'text')
        .addColumn('user', 'text')
        .addColumn('user_key', 'text')
        .addColumn('auth_method', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('upstream_status', 'integer')
        .addColumn('client_ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('node', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_time')
        .on('audit')
        .columns(withId(['time']))
        .execute();
      await db.schema
        .createIndex('audit_token_time')
        .on('audit')
        .columns(withId(['token_id', 'time']))
        .execute();
      await db.schema
        .createIndex('audit_user_time')
        .on('audit')
        .columns(withId(['user_key', 'time']))
        .execute();
      await db.schema
        .createIndex('audit_decision_time')
        .on('audit')
        .columns(withId(['decision', 'time']))
        .execute();

      await db.schema
        .createTable('changes')
        .addColumn('seq', t.autoId, (c) => (t.autoIncrementKeyword ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('time', t.bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('nodes')
        .addColumn('node_id', 'text', (c) => c.primaryKey())
        .addColumn('secure_mode', t.bool, (c) => c.notNull())
        .addColumn('last_seen', t.bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('auth_failures')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', t.bigint, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('auth_failures_pk', ['key', 'window_start'])
        .execute();
      await db.schema.createIndex('auth_failures_window').on('auth_failures').column('window_start').execute();
    },
  };
}
