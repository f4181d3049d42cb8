import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand } from './machine.js';
import { nginxArgs, writeNginxConfig } from './nginx.js';
import type { RowId } from './options.js';
import { freePort } from './ports.js';
import { logTail, type ProcessGroup } from './processes.js';
import { buildTokengate, checkCli, startTokengate } from './tokengate.js';
import { GET_PATH, POST_PATH, RULES_3, RULES_JSON, rules100 } from './workload.js';
import type { WrkRequest } from './wrk.js';

export const ROW_LABELS: Readonly<Record<RowId, string>> = {
  1: 'upstream directly (the limit)',
  2: 'Node http + undici pool.stream(), no auth',
  3: 'nginx proxy_pass',
  4: 'nginx auth_basic {SHA}',
  5: 'tokengate Basic, 3-line limitTo, audit on',
  6: 'tokengate Bearer, 100-line limitTo',
  7: 'tokengate POST 2 MiB, JsonData rule',
  8: 'row 5 on the --compare build',
  9: 'row 5 with a rate limit',
  10: 'nginx + auth_request → tokengate',
  11: 'row 9 counted in Redis',
};

/** Row 11's Redis. */
const BENCH_REDIS_URL = process.env.TOKENGATE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Rows 9 and 11's rate limit: counted on every call (database, Redis), never reached. */
const BENCH_RATE_LIMIT = '1000000000/second';

/** Whether something accepts a TCP connection at `host:port` within a second. */
function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** A row that cannot run here, with the reason printed instead of its numbers. */
export class SkipRow extends Error {
  override readonly name = 'SkipRow';
}

export interface TargetContext {
  readonly processes: ProcessGroup;
  readonly repoDir: string;
  readonly benchDir: string;
  readonly workDir: string;
  readonly upstreamUrl: string;
  /** CPU of the proxy under test (null: not pinned). */
  readonly proxyCpu: string | null;
  readonly build: boolean;
  /** Row 8's checkout (built already), or null. */
  readonly compareRepo: string | null;
  /** Row 7's 2 MiB JSON document. */
  readonly bodyFile: string;
  /** Progress messages. */
  readonly log: (message: string) => void;
  /** Temporary directories to remove at the end. */
  readonly tempDirs: string[];
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const BENCH_PASSWORD_USER = 'bench';

/** Starts what each row measures, once, and says what request to send to it. */
export class Targets {
  readonly #ctx: TargetContext;
  #nginx: Promise<{ proxyUrl: string; authUrl: string; authorization: string }> | null = null;
  #nginxGroup: number | null = null;
  #tokengateReady: Promise<void> | null = null;
  /** Process groups of what each row measures (each started process leads its own group). */
  readonly #groups = new Map<RowId, number[]>();
  /** What each of a row's groups is, when it has more than one. */
  readonly #groupNames = new Map<RowId, string[]>();

  constructor(ctx: TargetContext) {
    this.#ctx = ctx;
  }

  /** The process groups whose CPU time a row measures (none: unknown, or not started by the benchmark). */
  groupOf(row: RowId): readonly number[] {
    return this.#groups.get(row) ?? [];
  }

  /** What each of `groupOf(row)` is (row 10: nginx, tokengate); empty for a row of one process. */
  groupNamesOf(row: RowId): readonly string[] {
    return this.#groupNames.get(row) ?? [];
  }

  /** Says which process group row `row` measures (row 1: the upstream, started outside). */
  setGroup(row: RowId, group: number | undefined): void {
    if (group !== undefined) this.#groups.set(row, [group]);
  }

  /** @throws SkipRow when the row cannot run here */
  async prepare(row: RowId): Promise<WrkRequest> {
    const ctx = this.#ctx;
    const get = (base: string, authorization: string | null): WrkRequest => ({
      url: base + GET_PATH,
      method: 'GET',
      authorization,
      bodyFile: null,
    });
    switch (row) {
      case 1:
        return get(ctx.upstreamUrl, null);
      case 2: {
        const started = await ctx.processes.start({
          name: 'passthrough',
          command: process.execPath,
          args: ['--import', 'tsx', join(ctx.benchDir, 'lib', 'passthrough-proxy.ts'), '0', ctx.upstreamUrl],
          cpu: ctx.proxyCpu,
          cwd: ctx.repoDir,
          logFile: join(ctx.workDir, 'passthrough.log'),
          ready: { kind: 'line', pattern: LISTENING },
          timeoutMs: 30_000,
        });
        this.setGroup(row, started.child.pid);
        return get(started.match?.[1] ?? '', null);
      }
      case 3: {
        const nginx = await this.#startNginx();
        this.setGroup(row, this.#nginxGroup ?? undefined);
        return get(nginx.proxyUrl, null);
      }
      case 4: {
        const nginx = await this.#startNginx();
        this.setGroup(row, this.#nginxGroup ?? undefined);
        return get(nginx.authUrl, nginx.authorization);
      }
      case 5: {
        const gate = await this.#tokengate(row, RULES_3, 'basic', {});
        return get(gate.url, gate.authorization);
      }
      case 6: {
        const gate = await this.#tokengate(row, rules100(), 'bearer', {});
        return get(gate.url, gate.authorization);
      }
      case 7: {
        const gate = await this.#tokengate(row, RULES_JSON, 'basic', { TOKENGATE_BODY_LIMIT: '4194304' });
        return { url: gate.url + POST_PATH, method: 'POST', authorization: gate.authorization, bodyFile: ctx.bodyFile };
      }
      case 9: {
        const gate = await this.#tokengate(row, RULES_3, 'basic', {}, this.#ctx.repoDir, [
          '--rate-limit',
          BENCH_RATE_LIMIT,
        ]);
        return get(gate.url, gate.authorization);
      }
      case 11: {
        const redis = new URL(BENCH_REDIS_URL);
        if (!(await portAnswers(redis.hostname, Number(redis.port || 6379)))) {
          throw new SkipRow(`Redis does not answer at ${redis.host} (set TOKENGATE_BENCH_REDIS_URL)`);
        }
        const env = {
          TOKENGATE_REDIS_URL: BENCH_REDIS_URL,
          // a prefix per run: counts of another run never mix in; the keys expire after their second
          TOKENGATE_REDIS_KEY_PREFIX: `tokengate-bench-${process.pid}-${Date.now()}:`,
        };
        const gate = await this.#tokengate(row, RULES_3, 'basic', env, this.#ctx.repoDir, [
          '--rate-limit',
          BENCH_RATE_LIMIT,
        ]);
        return get(gate.url, gate.authorization);
      }
      case 8: {
        if (ctx.compareRepo === null) throw new SkipRow('row 8 needs --compare DIR');
        const broken = await checkCli(ctx.processes, ctx.compareRepo);
        if (broken !== null) throw new SkipRow(`--compare ${ctx.compareRepo}: ${broken}`);
        const gate = await this.#tokengate(row, RULES_3, 'basic', {}, ctx.compareRepo);
        return get(gate.url, gate.authorization);
      }
      case 10:
        return get(...(await this.#nginxAskingTokengate(row)));
    }
  }

  /**
   * Row 10: a tokengate of its own (row 5's token, its decision listener on a free port) and an
   * nginx of its own asking it (bench/nginx/auth-request.conf.template); both CPUs are measured.
   */
  async #nginxAskingTokengate(row: RowId): Promise<[string, string]> {
    const ctx = this.#ctx;
    if (!hasCommand('nginx', ['-v'])) {
      throw new SkipRow('nginx is not installed (Debian: apt-get update && apt-get install -y nginx)');
    }
    const decisionPort = await freePort();
    const gate = await this.#tokengate(row, RULES_3, 'basic', { TOKENGATE_DECISION_PORT: String(decisionPort) });
    const gateGroup = gate.group;
    const prefix = mkdtempSync(join(tmpdir(), 'tokengate-bench-nginx-decisions-'));
    ctx.tempDirs.push(prefix);
    const proxyPort = await freePort();
    const files = writeNginxConfig({
      templateDir: join(ctx.benchDir, 'nginx'),
      template: 'auth-request.conf.template',
      prefix,
      upstreamPort: Number(new URL(ctx.upstreamUrl).port),
      proxyPort,
      authPort: 0,
      decisionPort,
      user: BENCH_PASSWORD_USER,
      password: 'unused',
    });
    const test = await ctx.processes.run('nginx', nginxArgs(prefix, files, true), { timeoutMs: 15_000 });
    if (test.code !== 0) throw new SkipRow(`nginx -t rejected the config: ${(test.stderr || test.stdout).trim()}`);
    let nginxGroup: number | undefined;
    try {
      const started = await ctx.processes.start({
        name: 'nginx-decisions',
        command: 'nginx',
        args: nginxArgs(prefix, files),
        cpu: ctx.proxyCpu,
        logFile: join(ctx.workDir, 'nginx-decisions.log'),
        ready: { kind: 'port', port: proxyPort },
        timeoutMs: 15_000,
      });
      nginxGroup = started.child.pid;
    } catch (err) {
      throw new Error(`${(err as Error).message}\nerror.log:\n${logTail(files.errorLog)}`);
    }
    if (nginxGroup !== undefined && gateGroup !== undefined) {
      this.#groups.set(row, [nginxGroup, gateGroup]);
      this.#groupNames.set(row, ['nginx', 'tokengate']);
    }
    return [`http://127.0.0.1:${proxyPort}`, gate.authorization];
  }

  #startNginx(): Promise<{ proxyUrl: string; authUrl: string; authorization: string }> {
    this.#nginx ??= this.#launchNginx();
    return this.#nginx;
  }

  async #launchNginx(): Promise<{ proxyUrl: string; authUrl: string; authorization: string }> {
    const ctx = this.#ctx;
    if (!hasCommand('nginx', ['-v'])) {
      throw new SkipRow('nginx is not installed (Debian: apt-get update && apt-get install -y nginx)');
    }
    // Its own temporary prefix: as root, nginx's worker runs as nobody and must read it.
    const prefix = mkdtempSync(join(tmpdir(), 'tokengate-bench-nginx-'));
    ctx.tempDirs.push(prefix);
    const password = `bench-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const [proxyPort, authPort] = [await freePort(), await freePort()];
    const upstreamPort = Number(new URL(ctx.upstreamUrl).port);
    const files = writeNginxConfig({
      templateDir: join(ctx.benchDir, 'nginx'),
      prefix,
      upstreamPort,
      proxyPort,
      authPort,
      user: BENCH_PASSWORD_USER,
      password,
    });
    const test = await ctx.processes.run('nginx', nginxArgs(prefix, files, true), { timeoutMs: 15_000 });
    if (test.code !== 0) throw new SkipRow(`nginx -t rejected the config: ${(test.stderr || test.stdout).trim()}`);
    try {
      const started = await ctx.processes.start({
        name: 'nginx',
        command: 'nginx',
        args: nginxArgs(prefix, files),
        cpu: ctx.proxyCpu,
        logFile: join(ctx.workDir, 'nginx.log'),
        ready: { kind: 'port', port: authPort },
        timeoutMs: 15_000,
      });
      this.#nginxGroup = started.child.pid ?? null;
    } catch (err) {
      throw new Error(`${(err as Error).message}\nerror.log:\n${logTail(files.errorLog)}`);
    }
    return {
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
      authUrl: `http://127.0.0.1:${authPort}`,
      authorization: `Basic ${Buffer.from(`${BENCH_PASSWORD_USER}:${password}`).toString('base64')}`,
    };
  }

  #ensureTokengate(): Promise<void> {
    this.#tokengateReady ??= (async () => {
      const ctx = this.#ctx;
      if (ctx.build) {
        ctx.log('building tokengate (npm run build)…');
        const failed = await buildTokengate(ctx.processes, ctx.repoDir);
        if (failed !== null) throw new SkipRow(failed);
      }
      const broken = await checkCli(ctx.processes, ctx.repoDir);
      if (broken !== null) throw new SkipRow(broken);
    })();
    return this.#tokengateReady;
  }

  async #tokengate(
    row: RowId,
    limitTo: string,
    auth: 'basic' | 'bearer',
    env: Readonly<Record<string, string>>,
    repoDir = this.#ctx.repoDir,
    tokenArgs: readonly string[] = [],
  ): Promise<{ url: string; authorization: string; group: number | undefined }> {
    if (repoDir === this.#ctx.repoDir) await this.#ensureTokengate();
    const ctx = this.#ctx;
    try {
      const gate = await startTokengate(ctx.processes, {
        name: `tokengate-row${row}`,
        repoDir,
        workDir: ctx.workDir,
        upstreamUrl: ctx.upstreamUrl,
        cpu: ctx.proxyCpu,
        limitTo,
        auth,
        env,
        tokenArgs,
      });
      this.setGroup(row, gate.started.child.pid);
      return { ...gate, group: gate.started.child.pid };
    } catch (err) {
      throw new SkipRow(`tokengate could not be started: ${(err as Error).message}`);
    }
  }
}

/** Removes temporary directories (quietly: this runs on exit too). */
export function removeDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}
