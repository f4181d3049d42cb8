import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use (trust auth); override with TOKENGATE_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TOKENGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL tests are skipped (not reachable), or false. */
export async function postgresSkipReason(): Promise<string | false> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return false;
  } catch (err) {
    return `PostgreSQL is not reachable at ${TEST_DATABASE_URL}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name, `tg_test_<random>`. */
export function freshSchema(): string {
  return `tg_test_${randomBytes(6).toString('hex')}`;
}

/** The test database URL with `?schema=NAME`. */
export function urlWithSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Runs `fn` with a plain client on the test database (no schema set). */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL's code for a transaction chosen as the victim of a deadlock. */
const DEADLOCK_DETECTED = '40P01';

/**
 * Drops `schema` and everything in it. A stopped node's last transaction may still be finishing on
 * the server (its backend ends when the statement does), and the drop, which locks every table in
 * turn, can deadlock with it; PostgreSQL then cancels the drop, which is tried again.
 */
export async function dropSchema(schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdminClient((c) => c.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`));
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== DEADLOCK_DETECTED || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
