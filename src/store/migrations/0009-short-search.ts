import { type Migration, sql } from 'kysely';
import type { DialectTypes, MigrationDb } from './migration-context.js';

/**
 * Searches of 1 or 2 characters at a million tokens (SQLite; `store/token-page.ts`). A trigram
 * index cannot look up fewer than 3 characters, but every place a 1–2 character text occurs
 * starts some trigram once each value is indexed with two spaces appended (a text at the end of a
 * value, or a value of 1–2 characters, then has one too). So `tokens_search` is rebuilt over
 * `tokens_search_text` (the label and bound user, each + '  '), and `tokens_search_terms`
 * (fts5vocab) lists its trigrams, where those starting with the text are found by range.
 * PostgreSQL: nothing changes (pg_trgm plans are the planner's).
 */
export function migration0009(t: DialectTypes): Migration {
  return {
    async up(db: MigrationDb): Promise<void> {
      if (t.dialect !== 'sqlite') return;
      const statements = [
        'drop trigger tokens_search_insert',
        'drop trigger tokens_search_delete',
        'drop trigger tokens_search_update',
        'drop table tokens_search',
        `create view tokens_search_text (row_id, label, user_key) as
           select rowid, label || '  ', coalesce(user_key, '') || '  ' from tokens`,
        `create virtual table tokens_search using fts5(label, user_key, content='tokens_search_text',
           content_rowid='row_id', tokenize='trigram')`,
        `create trigger tokens_search_insert after insert on tokens begin
           insert into tokens_search (rowid, label, user_key)
             values (new.rowid, new.label || '  ', coalesce(new.user_key, '') || '  '); end`,
        `create trigger tokens_search_delete after delete on tokens begin
           insert into tokens_search (tokens_search, rowid, label, user_key)
             values ('delete', old.rowid, old.label || '  ', coalesce(old.user_key, '') || '  '); end`,
        `create trigger tokens_search_update after update of label, user_key on tokens begin
           insert into tokens_search (tokens_search, rowid, label, user_key)
             values ('delete', old.rowid, old.label || '  ', coalesce(old.user_key, '') || '  ');
           insert into tokens_search (rowid, label, user_key)
             values (new.rowid, new.label || '  ', coalesce(new.user_key, '') || '  '); end`,
        `insert into tokens_search (tokens_search) values ('rebuild')`,
        `create virtual table tokens_search_terms using fts5vocab(tokens_search, 'row')`,
      ];
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
