/**
 * Fills a tokengate data directory with many tokens, fast, for bench/token-lookup.ts.
 *
 * The `Store` interface has no batch insert (`insertToken` is one write transaction plus a change
 * row per token), so the rows go in through a second better-sqlite3 connection to the same
 * `<dataDir>/tokengate.db`, in ONE transaction, into the product's `tokens` table: each row is
 * built by the product's `tokenRow()`, its digest by the product's digester (HMAC-SHA-256 under
 * the installation's digest key, from `openServices`), its kept secret sealed by the product's
 * secret box (standard mode). No change rows are written: no process has these tokens cached.
 *
 * Run (the benchmark does this in a child process, so the fill's garbage does not show in the
 * memory figures): node --import tsx bench/lib/token-fill.ts DATA_DIR COUNT SEED RULES|-
 * It prints one JSON line: `{"rows":…,"seconds":…,"method":…}`.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { openServices } from '../../src/app/open-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { TokenRecord } from '../../src/store/models.js';
import { tokenRow } from '../../src/store/rows.js';
import { toBase62 } from '../../src/tokens/base62.js';
import { loadKeys } from '../../src/tokens/keys.js';
import { SECRET_PREFIX } from '../../src/tokens/secret.js';
import { createSecretBox } from '../../src/tokens/secret-box.js';
import { parseLimitToInput } from '../../src/tokens/token-input.js';

/** Characters of the per-run random seed in every benchmark secret. */
export const SEED_LENGTH = 28;

/**
 * The secret of benchmark token `i`: `tgp_` + the run's 28-character seed + `i` in 10 base62
 * digits — 42 characters, as long as a generated secret, so its HMAC costs the same. Derived,
 * not stored: a million secrets kept in memory would distort the memory figures.
 */
export function benchSecret(seed: string, i: number): string {
  return SECRET_PREFIX + seed + toBase62(i, 10);
}

/** Opens the data dir the way the CLI does (`openServices`, role `tool`): config defaults, no environment. */
export async function openBenchServices(dataDir: string, role: 'node' | 'tool') {
  const loaded = loadConfig({ env: {}, overrides: { dataDir } });
  if (!loaded.ok) throw new Error(`configuration: ${loaded.errors.join('; ')}`);
  return openServices(loaded.config, { role, env: {} });
}

export interface FillResult {
  readonly rows: number;
  readonly seconds: number;
  readonly method: string;
}

/**
 * Inserts `count` tokens (secrets `benchSecret(seed, 0…count-1)`) bound to no user, each with the
 * rules `rules` (validated and normalised as `tokenTools/set` does).
 */
export async function fillTokens(dataDir: string, count: number, seed: string, rules: string): Promise<FillResult> {
  const limitTo = parseLimitToInput(rules);
  const services = await openBenchServices(dataDir, 'tool');
  let db: BetterSqlite3.Database | null = null;
  try {
    const keys = await loadKeys({ dataDir, store: services.store, env: {}, secureMode: false });
    const box = createSecretBox(keys.encryptionKey);
    const started = process.hrtime.bigint();
    db = new BetterSqlite3(join(dataDir, 'tokengate.db'));
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -262144'); // 256 MiB: the random digest index is written all over
    const record = (i: number): TokenRecord => {
      const secret = benchSecret(seed, i);
      const id = randomBytes(16).toString('base64url');
      return {
        id,
        label: `bench token ${i}`,
        user: null,
        author: 'bench',
        limitTo,
        digest: services.digest(secret),
        secretCiphertext: box.seal(secret, id),
        dateCreated: 1_700_000_000_000 + i,
        validUntil: 0,
        counter: 0,
        ip: null,
        lastUsed: 0,
      };
    };
    const columns = Object.keys(tokenRow(record(0)));
    const names = columns.map((c) => `"${c}"`).join(', ');
    const insert = db.prepare(`insert into tokens (${names}) values (${columns.map((c) => `@${c}`).join(', ')})`);
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(tokenRow(record(i)));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rows: count,
      seconds,
      method:
        'one transaction on a second better-sqlite3 connection (Store has no batch insert): ' +
        'product tokens table, tokenRow(), openServices digester (HMAC-SHA-256), secret box seal',
    };
  } finally {
    db?.close();
    await services.close();
  }
}

async function main(): Promise<void> {
  const [dataDir, countText, seed, rules] = process.argv.slice(2);
  const count = Number(countText);
  if (dataDir === undefined || !Number.isInteger(count) || count < 1 || seed?.length !== SEED_LENGTH) {
    throw new Error('usage: token-fill.ts DATA_DIR COUNT SEED RULES|-');
  }
  const result = await fillTokens(dataDir, count, seed, rules === undefined || rules === '-' ? '' : rules);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`token-fill: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
