/**
 * Time of filtered, newest-first audit page queries on a SQLite store with 10 million rows.
 * Generates the rows into a temporary database (one INSERT … SELECT over a recursive CTE, with the
 * audit indexes dropped during the load and rebuilt after), then times each query through the
 * Store API. Run: npx tsx bench/audit-query.ts [rows]   (default 10,000,000; needs ~4 GB of disk)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { AuditFilter } from '../src/store/models.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const T0 = 1_700_000_000_000;
/** 30 days of traffic. */
const SPAN_MS = 30 * 24 * 60 * 60 * 1000;
const STEP_MS = Math.max(1, Math.floor(SPAN_MS / ROWS));
const END = T0 + ROWS * STEP_MS;
const DAY = 24 * 60 * 60 * 1000;
const RUNS = 7;

/**
 * Rows (pseudo-random from multiplicative hashes of the row number, columns independent): 1000 tokens (90% of calls from 100 of them), 300 users,
 * decisions 90% allowed, 6% denied, 2% refused, 1.5% unauthenticated, 0.4% error, 0.1% admin;
 * four path families; times evenly spread over 30 days.
 */
function generate(file: string): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const indexes = db
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'audit' and sql is not null")
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`drop index ${index.name}`);
  db.exec(`
    insert into audit (time, token_id, token_label, user, user_key, auth_method, method, path, query, decision,
                       reason, upstream_status, client_ip, user_agent, duration_ms, node)
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${ROWS - 1}),
    r(i, tok, usr, d, p) as (
      select i,
             case when h1 % 10 < 9 then (h1 / 10) % 100 else 100 + (h1 / 10) % 900 end,
             h2 % 300,
             h3 % 1000,
             h4 % 4
      from (select i,
                   (i * 2654435761) % 4294967291 as h1, (i * 2246822519) % 4294967291 as h2,
                   (i * 3266489917) % 4294967291 as h3, (i * 668265263) % 4294967291 as h4
            from n))
    select ${T0} + i * ${STEP_MS},
           'tok_' || tok, 'token label ' || tok, 'User' || usr, 'user' || usr,
           case when i % 3 = 0 then 'bearer' else 'basic' end,
           case when i % 5 = 0 then 'POST' else 'GET' end,
           '/rest/api/' || case p when 0 then 'content' when 1 then 'space' when 2 then 'search' else 'user' end || '/' || (i % 5000),
           'limit=25&expand=history',
           case when d < 900 then 'allowed' when d < 960 then 'denied' when d < 980 then 'refused'
                when d < 995 then 'unauthenticated' when d < 999 then 'error' else 'admin' end,
           case when d < 900 then '' else 'no rule matched' end,
           case when d < 900 then 200 else null end,
           '10.0.' || (i % 256) || '.' || (i % 200), 'python-requests/2.31.0', i % 300, 'node-' || (i % 3)
    from r`);
  for (const index of indexes) db.exec(index.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await time(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function firstPage(store: Store, filter: AuditFilter): Promise<number> {
  let n = 0;
  for await (const _ of store.iterateAudit(filter, 50)) if (++n === 50) break;
  return n;
}

const QUERIES: [string, AuditFilter][] = [
  ['no filter', {}],
  ['tokenId (busy token)', { tokenId: 'tok_7' }],
  ['tokenId (quiet token)', { tokenId: 'tok_777' }],
  ['user', { user: 'USER42' }],
  ['decision=denied', { decision: 'denied' }],
  ['decision=admin (0.1%)', { decision: 'admin' }],
  ['last 24 h', { from: END - DAY }],
  ['tokenId + decision + 7 days', { tokenId: 'tok_7', decision: 'denied', from: END - 7 * DAY }],
  ['user + decision + time range', { user: 'user42', decision: 'refused', from: END - 20 * DAY, to: END - 10 * DAY }],
  ['user + path prefix', { user: 'user42', path: '/rest/api/space/' }],
  ['path prefix only', { path: '/rest/api/space/12' }],
  ['tokenIds + ownUser (non-admin view)', { tokenIds: ['tok_7', 'tok_777'], ownUser: 'user42' }],
  ['decision=error + 1 day window', { decision: 'error', from: END - 15 * DAY, to: END - 14 * DAY }],
];

const dir = mkdtempSync(join(tmpdir(), 'tokengate-bench-query-'));
try {
  const first = await openStore({ dataDir: dir, databaseUrl: null });
  await first.close();
  const file = join(dir, 'tokengate.db');
  const loadMs = await time(async () => generate(file));
  console.log(
    `${ROWS.toLocaleString('en')} audit rows generated in ${(loadMs / 1000).toFixed(1)} s ` +
      `(${(statSync(file).size / 1e9).toFixed(2)} GB); times are medians of ${RUNS} runs`,
  );
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  console.log(`${'query'.padEnd(38)} ${'page of 50'.padStart(11)} ${'count'.padStart(10)} ${'matches'.padStart(10)}`);
  for (const [name, filter] of QUERIES) {
    const page = await median(() => firstPage(store, filter));
    const count = await median(() => store.queryAudit(filter, 0, 0));
    const { total } = await store.queryAudit(filter, 0, 0);
    console.log(
      `${name.padEnd(38)} ${`${page.toFixed(2)} ms`.padStart(11)} ${`${count.toFixed(0)} ms`.padStart(10)} ${total.toLocaleString('en').padStart(10)}`,
    );
  }
  const deep = await median(() => store.queryAudit({ decision: 'denied' }, 10_000, 50));
  console.log(`queryAudit decision=denied, startAt 10,000 (page + count): ${deep.toFixed(1)} ms`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
