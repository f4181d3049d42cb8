import type { ColumnDataType, Kysely, Migration } from 'kysely';

/** Which database a migration runs on; migrations pick column types from it. */
export type SqlDialectName = 'sqlite' | 'postgres';

/** Column types that differ between SQLite and PostgreSQL. */
export interface DialectTypes {
  readonly dialect: SqlDialectName;
  /** Epoch milliseconds and counters: `integer` (SQLite, 64-bit) or `bigint`. */
  readonly bigint: ColumnDataType;
  /** `integer` 0/1 (SQLite) or `boolean`. */
  readonly bool: ColumnDataType;
  /** Type of an auto-incrementing primary key (`integer` + AUTOINCREMENT, or `bigserial`). */
  readonly autoId: ColumnDataType;
  /** True when the primary key needs the AUTOINCREMENT keyword (SQLite: ids never reused). */
  readonly autoIncrementKeyword: boolean;
}

/** Column types for `dialect`. */
export function dialectTypes(dialect: SqlDialectName): DialectTypes {
  return dialect === 'sqlite'
    ? { dialect, bigint: 'integer', bool: 'integer', autoId: 'integer', autoIncrementKeyword: true }
    : { dialect, bigint: 'bigint', bool: 'boolean', autoId: 'bigserial', autoIncrementKeyword: false };
}

/** A migration that is built for one dialect. */
export type VersionedMigration = (types: DialectTypes) => Migration;

/** The database handle a migration receives (schema builder only; no table types). */
export type MigrationDb = Kysely<unknown>;
