/**
 * `npm run bench:scale` — tokengate with a large database: 1,000,000 tokens and 10,000,000 audit
 * records (SQLite, the default store). Prints figures; asserts nothing.
 *
 * 1. Seeds a fresh data directory: migrations, an administrator and a gateway token through the
 *    product's services; then bulk rows with plain SQL on a second connection (INSERT … SELECT
 *    over a recursive CTE, audit indexes rebuilt after the load).
 * 2. Starts a real `tokengate serve` on that directory and a bare upstream, and times over HTTP
 *    (sequential calls, p50/p99): `tokenTools/get` first page and a deep page, the page's token
 *    search (signed-in session) for a common and a rare text, and filtered audit pages.
 * 3. Gateway p99 under wrk (a cached token, audit and usage on), once alone and once while an
 *    administrator lists, searches and exports (a filtered CSV export) in a loop: same run.
 * 4. The server's RSS (VmRSS, VmHWM) after all of it.
 *
 * Run: npm run bench:scale -- [--tokens N] [--audit N] [--samples N] [--duration S] [--keep]
 *      [--gateway-only] [--admin-calls list,deep,search,audit,export]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { processCpuMs } from './lib/cpu-usage.js';
import { openBenchServices } from './lib/token-fill.js';

const ROOT = resolve(import.meta.dirname, '..');
const T0 = 1_700_000_000_000;
const PASSWORD = 'bench-admin-password-1';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number((process.argv[at + 1] ?? '').replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

const TOKENS = option('tokens', 1_000_000);
const AUDIT = option('audit', 10_000_000);
const SAMPLES = option('samples', 100);
const DURATION_S = option('duration', 10);
const KEEP = process.argv.includes('--keep');
/** Skip the timed admin calls: only the gateway phases (to compare admin loops quickly). */
const GATEWAY_ONLY = process.argv.includes('--gateway-only');
/** The admin loop's calls (default all): a comma-separated subset of list,deep,search,audit,export. */
const ADMIN_CALLS = (() => {
  const at = process.argv.indexOf('--admin-calls');
  const all = ['list', 'deep', 'search', 'audit', 'export'];
  if (at < 0) return all;
  const chosen = (process.argv[at + 1] ?? '').split(',').filter((c) => c !== '');
  const unknown = chosen.filter((c) => !all.includes(c));
  if (chosen.length === 0 || unknown.length > 0) throw new Error(`--admin-calls takes some of ${all.join(',')}`);
  return chosen;
})();

function log(message: string): void {
  process.stderr.write(`[bench:scale] ${message}\n`);
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Bulk rows with SQL on a second connection: users, tokens, audit (indexes rebuilt after). */
function seedBulk(file: string): { tokensS: number; auditS: number } {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  let started = process.hrtime.bigint();
  db.exec(`
    insert into users (username_key, username, email, email_key, display_name, admin, active, password_hash, date_created)
    with recursive n(i) as (select 0 union all select i + 1 from n where i < 999)
    select 'user' || i, 'User' || i, null, null, 'Display ' || i, 0, 1, null, ${T0} from n`);
  db.exec(`
    insert into tokens (id, label, user_key, user, author, limit_to, digest, secret_ciphertext, date_created,
                        valid_until, counter, ip, last_used)
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${TOKENS - 1})
    select 'bench' || i,
           case i % 5 when 0 then 'ci deploy ' when 1 then 'backup job ' when 2 then 'ansible run '
                      when 3 then 'reporting ' else 'sync worker ' end || i,
           case when i % 10 = 0 then null else 'user' || (i % 1000) end,
           case when i % 10 = 0 then null else 'User' || (i % 1000) end,
           'bench', '', 'bench-digest-' || i, null, ${T0} + i * 1000,
           case when i % 3 = 0 then 0 else ${T0} + 86400000 * (i % 400) end,
           (i * 7919) % 10000, null, case when i % 4 = 0 then 0 else ${T0} + (i * 31) % 86400000 end
    from n`);
  const tokensS = seconds(started);
  started = process.hrtime.bigint();
  const indexes = db
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'audit' and sql is not null")
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`drop index ${index.name}`);
  const step = Math.max(1, Math.floor((30 * 86_400_000) / Math.max(1, AUDIT)));
  if (AUDIT > 0) {
    db.exec(`
      insert into audit (time, token_id, token_label, user, user_key, auth_method, method, path, query, decision,
                         reason, upstream_status, client_ip, user_agent, duration_ms, node)
      with recursive n(i) as (select 0 union all select i + 1 from n where i < ${AUDIT - 1}),
      r(i, tok, usr, d, p) as (
        select i, case when h1 % 10 < 9 then (h1 / 10) % 100 else 100 + (h1 / 10) % 900 end, h2 % 300, h3 % 1000, h4 % 4
        from (select i, (i * 2654435761) % 4294967291 as h1, (i * 2246822519) % 4294967291 as h2,
                     (i * 3266489917) % 4294967291 as h3, (i * 668265263) % 4294967291 as h4 from n))
      select ${T0} + i * ${step}, 'bench' || tok, 'token label ' || tok, 'User' || usr, 'user' || usr,
             case when i % 3 = 0 then 'bearer' else 'basic' end, case when i % 5 = 0 then 'POST' else 'GET' end,
             '/rest/api/' || case p when 0 then 'content' when 1 then 'space' when 2 then 'search' else 'user' end || '/' || (i % 5000),
             'limit=25', case when d < 900 then 'allowed' when d < 960 then 'denied' when d < 980 then 'refused'
                              when d < 995 then 'unauthenticated' when d < 999 then 'error' else 'admin' end,
             case when d < 900 then '' else 'no rule matched' end, case when d < 900 then 200 else null end,
             '10.0.' || (i % 256) || '.' || (i % 200), 'python-requests/2.31.0', i % 300, 'node-' || (i % 3)
      from r`);
  }
  for (const index of indexes) db.exec(index.sql);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { tokensS, auditS: seconds(started) };
}

function startProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s"]+)/.exec(out);
      if (match?.[1] !== undefined) resolvePromise({ child, url: match[1].replace(/\/$/, '') });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-2000)}`)));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** p50 and p99 of `samples` sequential calls (after 3 warm-up calls), ms. */
async function timeCalls(
  what: string,
  url: string,
  headers: Record<string, string>,
  samples = SAMPLES,
): Promise<string> {
  const one = async (): Promise<number> => {
    const started = process.hrtime.bigint();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${what}: HTTP ${response.status}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < 3; i++) await one();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await one());
  times.sort((a, b) => a - b);
  const line = `${`${what} (${samples})`.padEnd(62)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(times, 99).toFixed(1).padStart(7)} ms`;
  process.stdout.write(`${line}\n`);
  return line;
}

/** wrk's p99 (ms) and req/s against the gateway with a cached token, and the server `pid`'s CPU per call. */
async function wrkGateway(
  url: string,
  auth: string,
  pid: number,
): Promise<{ p99: number; p50: number; rps: number; cpuUsPerCall: number }> {
  const cpuBefore = processCpuMs(pid);
  // asynchronous: the admin loop of this process runs while wrk does
  const child = spawn(
    'wrk',
    ['-t1', '-c16', `-d${DURATION_S}s`, '--latency', '-H', `Authorization: ${auth}`, `${url}/rest/api/space`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  await new Promise((r) => child.on('close', r));
  const unit = (value: string, u: string) => Number(value) * (u === 'us' ? 0.001 : u === 's' ? 1000 : 1);
  const lat = (p: string) => {
    const m = new RegExp(`${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m?.[1] !== undefined && m[2] !== undefined ? unit(m[1], m[2]) : Number.NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers:\n${out}`);
  const calls = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
  const cpuUsPerCall = ((processCpuMs(pid) - cpuBefore) * 1000) / calls;
  return { p50: lat('50'), p99: lat('99'), rps, cpuUsPerCall };
}

function rssOf(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => /\d+/.exec(status.split('\n').find((l) => l.startsWith(name)) ?? '')?.[0] ?? '?';
  return `VmRSS ${Math.round(Number(field('VmRSS')) / 1024)} MiB, VmHWM (peak) ${Math.round(Number(field('VmHWM')) / 1024)} MiB`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tokengate-scale-'));
  const children: ChildProcess[] = [];
  try {
    log(`data dir ${dataDir}; tokens ${TOKENS.toLocaleString()}, audit ${AUDIT.toLocaleString()}`);
    const services = await openBenchServices(dataDir, 'tool');
    let gateAuth: string;
    try {
      const admin = await services.users.add({ username: 'admin', admin: true, password: PASSWORD });
      const made = await services.tokens.create({ label: 'bench gateway', userName: 'admin' }, admin);
      gateAuth = `Basic ${Buffer.from(`admin:${made.secret}`).toString('base64')}`;
    } finally {
      await services.close();
    }
    const seeded = seedBulk(join(dataDir, 'tokengate.db'));
    log(
      `seeded: tokens ${seeded.tokensS.toFixed(1)} s, audit (+ index rebuild, analyze) ${seeded.auditS.toFixed(1)} s`,
    );

    const upstream = await startProcess(['bench/lib/upstream-server.ts', '0']);
    children.push(upstream.child);
    const gate = await startProcess(
      [
        'src/cli/main.ts',
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data-dir',
        dataDir,
        '--upstream',
        upstream.url,
      ],
      // the seeded records are older than the default retention and more than the default
      // maxRows: without these the server would spend the run deleting them
      { TOKENGATE_LOG_LEVEL: 'warn', TOKENGATE_AUDIT_RETENTION_DAYS: '0', TOKENGATE_AUDIT_MAX_ROWS: '0' },
    );
    children.push(gate.child);
    const gatewayPid = gate.child.pid ?? 0;
    const tools = `${gate.url}/rest/extender/1.0/tokenTools`;
    const auth = { authorization: gateAuth };

    const signIn = await fetch(`${gate.url}/tokengate/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: gate.url },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    if (signIn.status !== 200) throw new Error(`page sign-in: HTTP ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = { cookie, origin: gate.url };

    const machine = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
    process.stdout.write(
      `\ntokengate with ${TOKENS.toLocaleString()} tokens and ${AUDIT.toLocaleString()} audit records (SQLite), ` +
        `${SAMPLES} sequential calls each, ${machine} CPUs (shared with other work), ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n\n`,
    );
    const deep = Math.max(0, TOKENS - 1000);
    if (!GATEWAY_ONLY) {
      await timeCalls('tokenTools/get first page (50)', `${tools}/get?maxResults=50`, auth);
      await timeCalls(
        `tokenTools/get deep page (startAt ${deep.toLocaleString()})`,
        `${tools}/get?startAt=${deep}&maxResults=50`,
        auth,
      );
      const middle = Math.floor(TOKENS / 2);
      await timeCalls(
        `tokenTools/get middle page (startAt ${middle.toLocaleString()})`,
        `${tools}/get?startAt=${middle}&maxResults=50`,
        auth,
      );
      await timeCalls(
        'page token list, sort by label, page 2',
        `${gate.url}/tokengate/api/tokens?sort=label&startAt=25`,
        page,
      );
      await timeCalls('page search "deploy" (common: 1 in 5)', `${gate.url}/tokengate/api/tokens?q=deploy`, page);
      // the slower searches, 20 calls each: rare texts, short ones, the bound user's
      const searches: readonly (readonly [string, string])[] = [
        ['page search "deploy 99999" (rare)', 'deploy%2099999'],
        ['page search "user12" (1 in 100, bound user)', 'user12'],
        ['page search "zq" (2 characters, no match)', 'zq'],
        ['page search "42" (2 characters, common)', '42'],
        ['page search "z" (1 character, no match)', 'z'],
        ['page search "k" (1 character, "backup": 1 in 5)', 'k'],
      ];
      for (const [name, q] of searches) {
        await timeCalls(name, `${gate.url}/tokengate/api/tokens?q=${q}`, page, Math.min(SAMPLES, 20));
      }
      await timeCalls('audit page, decision=denied', `${tools}/audit?decision=denied&maxResults=50`, auth);
      await timeCalls(
        'audit page, tokenId + path prefix',
        `${tools}/audit?tokenId=bench7&path=/rest/api/content&maxResults=50`,
        auth,
      );
      await timeCalls('audit page, unfiltered, startAt 10,000', `${tools}/audit?startAt=10000&maxResults=50`, auth);
    }
    process.stdout.write(`\ngateway (wrk -c16, ${DURATION_S} s, cached token, audit + usage on)\n`);
    const alone = await wrkGateway(gate.url, gateAuth, gatewayPid);
    process.stdout.write(
      `  alone:                      ${alone.rps.toFixed(0)} req/s  p50 ${alone.p50.toFixed(2)} ms  p99 ${alone.p99.toFixed(2)} ms\n`,
    );
    let stop = false;
    let adminCalls = 0;
    const from = T0;
    const to = T0 + 3_600_000;
    const adminLoop = (async () => {
      const calls: Record<string, { url: string; headers: Record<string, string> }> = {
        list: { url: `${tools}/get?maxResults=50`, headers: auth },
        deep: { url: `${tools}/get?startAt=${deep}&maxResults=50`, headers: auth },
        search: { url: `${gate.url}/tokengate/api/tokens?q=backup`, headers: page },
        audit: { url: `${tools}/audit?decision=denied&maxResults=50`, headers: auth },
        export: { url: `${tools}/audit?format=csv&from=${from}&to=${to}`, headers: auth },
      };
      const urls = ADMIN_CALLS.map((name) => calls[name] as { url: string; headers: Record<string, string> });
      while (!stop) {
        for (const u of urls) {
          const response = await fetch(u.url, { headers: u.headers });
          await response.arrayBuffer();
          adminCalls += 1;
        }
      }
    })();
    const loaded = await wrkGateway(gate.url, gateAuth, gatewayPid);
    stop = true;
    await adminLoop;
    process.stdout.write(
      `  with an admin loop:         ${loaded.rps.toFixed(0)} req/s  p50 ${loaded.p50.toFixed(2)} ms  p99 ${loaded.p99.toFixed(2)} ms` +
        `  (${adminCalls} admin calls: ${ADMIN_CALLS.join(', ')}; export = CSV export of one hour)\n`,
    );
    process.stdout.write(`  p99 added by the admin loop: ${(loaded.p99 - alone.p99).toFixed(2)} ms\n`);
    // The control: the same wrk with a process that only spins on one core (no database, no
    // tokengate). If it adds as much p99 as the admin loop, the loop costs CPU share, not waiting.
    const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.push(spinner);
    const spun = await wrkGateway(gate.url, gateAuth, gatewayPid);
    spinner.kill('SIGKILL');
    process.stdout.write(
      `  with a spinning process:    ${spun.rps.toFixed(0)} req/s  p50 ${spun.p50.toFixed(2)} ms  p99 ${spun.p99.toFixed(2)} ms` +
        `  (control: one core taken, no database work)\n`,
    );
    process.stdout.write(`  p99 added by the spinning process: ${(spun.p99 - alone.p99).toFixed(2)} ms\n`);
    process.stdout.write(
      `  server CPU per gateway call: alone ${alone.cpuUsPerCall.toFixed(0)} us, with the admin loop ${loaded.cpuUsPerCall.toFixed(0)} us (admin work included), with the spinner ${spun.cpuUsPerCall.toFixed(0)} us\n`,
    );
    process.stdout.write(`\nserver memory after the run: ${rssOf(gate.child.pid ?? 0)}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    if (!KEEP) rmSync(dataDir, { recursive: true, force: true });
    else log(`kept ${dataDir}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
