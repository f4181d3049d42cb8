import { type Migration, sql } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Search and totals at a million tokens (`store/token-page.ts`):
 *
 * - `token_count`: one row holding the number of tokens, kept by triggers, so an unfiltered
 *   list's exact `total` is one read instead of a count over every token.
 * - A substring index over each token's label and bound user: SQLite an FTS5 table with the
 *   `trigram` tokenizer (`tokens_search`, external content keyed by the tokens' rowid, kept by
 *   triggers); PostgreSQL `pg_trgm` GIN indexes on `lower(label)` and `user_key`. When the
 *   extension cannot be created (not installed, or no privilege) the indexes are skipped and a
 *   search scans, as before: correct, only slower.
 */
export function migration0007(t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      await sql.raw(`create table token_count (id integer primary key, n ${t.bigint} not null)`).execute(db);
      await sql.raw('insert into token_count (id, n) select 0, count(*) from tokens').execute(db);
      if (t.dialect === 'sqlite') await sqliteUp(db);
      else await postgresUp(db);
    },
  };
}

async function sqliteUp(db: MigrationDb): Promise<void> {
  const statements = [
    `create trigger token_count_insert after insert on tokens begin
       update token_count set n = n + 1 where id = 0; end`,
    `create trigger token_count_delete after delete on tokens begin
       update token_count set n = n - 1 where id = 0; end`,
    `create virtual table tokens_search using fts5(label, user_key, content='tokens', content_rowid='rowid',
       tokenize='trigram')`,
    `create trigger tokens_search_insert after insert on tokens begin
       insert into tokens_search (rowid, label, user_key) values (new.rowid, new.label, new.user_key); end`,
    `create trigger tokens_search_delete after delete on tokens begin
       insert into tokens_search (tokens_search, rowid, label, user_key)
         values ('delete', old.rowid, old.label, old.user_key); end`,
    `create trigger tokens_search_update after update of label, user_key on tokens begin
       insert into tokens_search (tokens_search, rowid, label, user_key)
         values ('delete', old.rowid, old.label, old.user_key);
       insert into tokens_search (rowid, label, user_key) values (new.rowid, new.label, new.user_key); end`,
    `insert into tokens_search (tokens_search) values ('rebuild')`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function postgresUp(db: MigrationDb): Promise<void> {
  await sql
    .raw(`create function token_count_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then update token_count set n = n + 1 where id = 0;
        else update token_count set n = n - 1 where id = 0;
        end if;
        return null;
      end $$`)
    .execute(db);
  await sql
    .raw(
      'create trigger token_count_change after insert or delete on tokens for each row execute function token_count_change()',
    )
    .execute(db);
  const schema = await trigramSchema(db);
  if (schema === undefined) return;
  const opclass = `${quoteIdent(schema)}.gin_trgm_ops`;
  await sql.raw(`create index tokens_label_trgm on tokens using gin (lower(label) ${opclass})`).execute(db);
  await sql.raw(`create index tokens_user_key_trgm on tokens using gin (user_key ${opclass})`).execute(db);
}

/**
 * The schema `pg_trgm` lives in (it is installed once per database, maybe in another schema than
 * ours, maybe by another node at this moment), after trying to create it; undefined without it.
 */
async function trigramSchema(db: MigrationDb): Promise<string | undefined> {
  // a failed CREATE EXTENSION must not abort the migration's transaction: try it in a savepoint
  await sql.raw('savepoint pg_trgm_attempt').execute(db);
  try {
    await sql.raw('create extension if not exists pg_trgm').execute(db);
    await sql.raw('release savepoint pg_trgm_attempt').execute(db);
  } catch {
    await sql.raw('rollback to savepoint pg_trgm_attempt').execute(db);
  }
  const found = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  return found.rows[0]?.schema;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
