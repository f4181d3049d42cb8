/**
 * `npm run bench`: tokengate against its baselines, on loopback, in one run and one table.
 *
 *   1 upstream directly · 2 bare Node http + undici pool.stream() · 3 nginx proxy_pass ·
 *   4 nginx auth_basic {SHA} · 5-7 tokengate (Basic + 3 rules, Bearer + 100 rules, 2 MiB JsonData)
 *
 * wrk and the upstream run on one CPU, the proxy under test alone on the other (taskset). Each row
 * is warmed up, then measured in alternating rounds; medians and spread are reported, with each
 * row's ratio to rows 2 and 4 of the same run, and p99 at about half load. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOtherCpu } from './lib/cpu-usage.js';
import { type Calibration, calibrate } from './lib/half-load.js';
import { allowedCpus, describeMachine, hasCommand, type MachineDescription } from './lib/machine.js';
import { type BenchOptions, parseOptions, type RowId, USAGE, UsageError } from './lib/options.js';
import { preflight } from './lib/preflight.js';
import { ProcessGroup } from './lib/processes.js';
import {
  type HalfLoadResult,
  type Measured,
  overallOtherCpu,
  type RowRecord,
  renderNotes,
  renderProxyCpu,
  renderResults,
  summarize,
} from './lib/report.js';
import { median } from './lib/stats.js';
import { formatMs, formatRate } from './lib/table.js';
import { ROW_LABELS, removeDirs, SkipRow, Targets } from './lib/targets.js';
import { UPSTREAM_REPLY } from './lib/upstream-server.js';
import { BODY_BYTES, writeLargeBody } from './lib/workload.js';
import { runWrk, type WrkRequest, type WrkResult } from './lib/wrk.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = resolve(BENCH_DIR, '..');
const WRK_SCRIPT = join(BENCH_DIR, 'wrk', 'request.lua');

const processes = new ProcessGroup();
const tempDirs: string[] = [];
let stopping = false;
let keepTemp = false;

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function describeRequest(request: WrkRequest): string {
  const url = new URL(request.url);
  const scheme = request.authorization?.split(' ')[0] ?? 'no auth';
  const body = request.bodyFile === null ? '' : `, ${BODY_BYTES} B JSON body`;
  return `${request.method} ${url.pathname}${url.search} (${scheme}${body})`;
}

interface Plan {
  readonly options: BenchOptions;
  readonly loadCpu: string | null;
  readonly proxyCpu: string | null;
}

/** Which process groups each row measures (see Targets.groupOf); set once the targets exist. */
let groupOf: (row: RowId) => readonly number[] = () => [];
/** What each of a row's process groups is (row 10: nginx, tokengate). */
let groupNamesOf: (row: RowId) => readonly string[] = () => [];

/**
 * Runs wrk and notes how much CPU the rest of the machine took meanwhile, and how much the
 * process group under test (`group`) took per request.
 */
async function measured(
  fn: () => Promise<WrkResult>,
  groups: readonly number[],
  names: readonly string[] = [],
): Promise<Measured> {
  const { value, otherCpuPercent, targetCpuMs, targetCpuMsEach } = await withOtherCpu(
    () => processes.groupIds(),
    fn,
    groups,
  );
  const perRequest = (ms: number) => (ms * 1000) / value.requests;
  const proxyCpuUsPerRequest = targetCpuMs === null || value.requests <= 0 ? null : perRequest(targetCpuMs);
  const proxyCpuUsPerRequestEach =
    targetCpuMsEach === null || value.requests <= 0 || targetCpuMsEach.length < 2
      ? null
      : targetCpuMsEach.map(perRequest);
  return { ...value, otherCpuPercent, proxyCpuUsPerRequest, proxyCpuUsPerRequestEach, cpuNames: names };
}

function otherCpuText(run: Measured): string {
  const names = run.cpuNames ?? [];
  const each = run.proxyCpuUsPerRequestEach;
  const split =
    each === null || each === undefined
      ? ''
      : ` (${each.map((us, i) => `${names[i] ?? `process ${i + 1}`} ${us.toFixed(1)}`).join(' + ')})`;
  const cpu =
    run.proxyCpuUsPerRequest === null
      ? ''
      : `, ${run.proxyCpuUsPerRequest.toFixed(1)} µs CPU/request under test${split}`;
  return `${cpu}${run.otherCpuPercent === null ? '' : `, others used ${run.otherCpuPercent}% CPU`}`;
}

/** Saturating measurements: warm-up, then rounds in alternating order (1…7, 7…1, …). */
async function measureSaturation(plan: Plan, active: RowRecord[], requests: Map<RowId, WrkRequest>): Promise<void> {
  const { options } = plan;
  const run = (record: RowRecord, durationS: number): Promise<Measured> =>
    measured(
      () =>
        runWrk(processes, {
          request: requests.get(record.id) as WrkRequest,
          durationS,
          connections: options.connections,
          meanDelayMs: null,
          cpu: plan.loadCpu,
          script: WRK_SCRIPT,
        }),
      groupOf(record.id),
      groupNamesOf(record.id),
    );
  const attempt = async (record: RowRecord, what: string, durationS: number): Promise<Measured | null> => {
    try {
      const result = await run(record, durationS);
      progress(
        `  ${what} row ${record.id}: ${formatRate(result.reqPerSec)} req/s, ` +
          `p50 ${formatMs(result.latencyMs.p50)} ms, p99 ${formatMs(result.latencyMs.p99)} ms${otherCpuText(result)}`,
      );
      return result;
    } catch (err) {
      if (stopping) throw err;
      record.skipped = `wrk failed: ${(err as Error).message}`;
      progress(`  row ${record.id}: ${record.skipped}`);
      return null;
    }
  };
  if (options.warmupS > 0) {
    progress(`warm-up: ${options.warmupS}s per row`);
    for (const record of active) {
      if (record.skipped === null) record.warmup = await attempt(record, 'warm-up', options.warmupS);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? active : [...active].reverse();
    progress(`round ${round + 1}/${options.rounds}: ${options.durationS}s per row, ${options.connections} connections`);
    for (const record of order) {
      if (record.skipped !== null) continue;
      const result = await attempt(record, `round ${round + 1}`, options.durationS);
      if (result !== null) record.rounds.push(result);
    }
  }
}

/**
 * p99 at about half of each row's saturating rate, and p99 of the upstream directly at the same
 * paced rate with the same request: the difference is the latency the proxy adds when not saturated.
 */
async function measureHalfLoad(plan: Plan, active: RowRecord[], requests: Map<RowId, WrkRequest>): Promise<void> {
  const { options } = plan;
  const upstream = requests.get(1) as WrkRequest;
  const paced = (request: WrkRequest) => (meanDelayMs: number, durationS: number) =>
    runWrk(processes, {
      request,
      durationS,
      connections: options.connections,
      meanDelayMs,
      cpu: plan.loadCpu,
      script: WRK_SCRIPT,
    });
  const referenceOf = (record: RowRecord): WrkRequest => {
    const own = requests.get(record.id) as WrkRequest;
    return { ...own, url: new URL(new URL(own.url).pathname + new URL(own.url).search, upstream.url).href };
  };
  const eligible = active.filter((r) => r.skipped === null && r.rounds.length > 0);
  progress(`half load: calibrating the paced rate of ${eligible.length} row(s)…`);
  for (const record of eligible) {
    const target = median(record.rounds.map((r) => r.reqPerSec)) / 2;
    try {
      const own = requests.get(record.id) as WrkRequest;
      const calibration = await calibrate(paced(own), target, options.connections, options.durationS);
      const referenceCalibration =
        record.id === 1
          ? null
          : await calibrate(paced(referenceOf(record)), target, options.connections, options.durationS);
      record.halfLoad = { calibration, runs: [], referenceCalibration, referenceRuns: [], error: null };
      const describe = (c: Calibration) =>
        `mean delay ${c.meanDelayMs.toFixed(2)} ms (${c.runs} run(s) of ${c.secondsPerRun}s, last ${formatRate(c.calibratedReqPerSec)} req/s)`;
      progress(
        `  row ${record.id}: ~${formatRate(target)} req/s wanted: ${describe(calibration)}` +
          (referenceCalibration === null ? '' : `; upstream directly: ${describe(referenceCalibration)}`),
      );
    } catch (err) {
      if (stopping) throw err;
      record.halfLoad = {
        calibration: {
          targetReqPerSec: target,
          meanDelayMs: Number.NaN,
          calibratedReqPerSec: 0,
          runs: 0,
          secondsPerRun: 0,
        },
        runs: [],
        referenceCalibration: null,
        referenceRuns: [],
        error: (err as Error).message,
      };
    }
  }
  const ready = eligible.filter((r) => r.halfLoad !== null && r.halfLoad.error === null);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? ready : [...ready].reverse();
    progress(`half-load round ${round + 1}/${options.rounds}`);
    for (const record of order) {
      const half = record.halfLoad as HalfLoadResult;
      if (half.error !== null) continue;
      try {
        const own = await measured(
          () => paced(requests.get(record.id) as WrkRequest)(half.calibration.meanDelayMs, options.durationS),
          groupOf(record.id),
          groupNamesOf(record.id),
        );
        half.runs.push(own);
        let line = `  row ${record.id}: ${formatRate(own.reqPerSec)} req/s (wanted ${formatRate(half.calibration.targetReqPerSec)}), p99 ${formatMs(own.latencyMs.p99)} ms${otherCpuText(own)}`;
        if (half.referenceCalibration !== null) {
          const calibrated = half.referenceCalibration;
          const ref = await measured(
            () => paced(referenceOf(record))(calibrated.meanDelayMs, options.durationS),
            groupOf(1),
          );
          half.referenceRuns.push(ref);
          line += `; upstream directly at ${formatRate(ref.reqPerSec)} req/s: p99 ${formatMs(ref.latencyMs.p99)} ms`;
        }
        progress(line);
      } catch (err) {
        if (stopping) throw err;
        record.halfLoad = { ...half, error: (err as Error).message };
      }
    }
  }
}

function header(machine: MachineDescription, plan: Plan, records: readonly RowRecord[]): string {
  const { options } = plan;
  const others = overallOtherCpu(records);
  const pinning =
    plan.proxyCpu === null
      ? 'NOT pinned (needs taskset and 2 CPUs): numbers mix load generator and proxy'
      : `wrk + upstream on CPU ${plan.loadCpu}, proxy under test on CPU ${plan.proxyCpu}`;
  return [
    `tokengate proxy benchmark — ${machine.date}`,
    `machine: ${machine.nproc} CPU(s) (${machine.cpuModel}), ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(' ')}, ${machine.kernel}`,
    `tools: node ${machine.node}, ${machine.wrk ?? 'wrk ?'}, nginx ${machine.nginx ?? 'not installed'}, commit ${machine.gitCommit ?? '?'}`,
    `method: wrk -t1 -c${options.connections}, ${options.warmupS}s warm-up per row, ${options.rounds} alternating round(s) of ${options.durationS}s; ${pinning}`,
    `other processes on the machine took ${others === null ? '?' : `${others}%`} of a CPU during the measured runs (median; 0% = quiet machine)`,
  ].join('\n');
}

const HALF_LOAD_NOTE =
  'half load: wrk has no fixed-rate mode (wrk2 is not in Debian), so each connection waits a random ' +
  "0..2×D ms before each request, D calibrated with short runs until the rate is ~½ of the row's median " +
  'saturating req/s; "+p99 vs row1" is the median over rounds of (row p99 − p99 of the upstream directly ' +
  'paced to the same rate with the same request). Latency is timed from when wrk sends, so stalls longer ' +
  'than a request gap are under-counted (coordinated omission).';

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2), join(BENCH_DIR, 'results'));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!hasCommand('wrk', ['-v'])) {
    process.stderr.write('bench: wrk is not installed (Debian: apt-get update && apt-get install -y wrk)\n');
    return 1;
  }
  const cpus = allowedCpus() ?? [];
  const canPin = cpus.length >= 2 && hasCommand('taskset', ['--version']);
  const plan: Plan = {
    options,
    loadCpu: canPin ? String(cpus[0]) : null,
    proxyCpu: canPin ? String(cpus[1]) : null,
  };
  const machine = describeMachine(REPO_DIR);
  if (!canPin)
    progress('warning: cannot pin (needs taskset and 2 CPUs); the numbers will mix load generator and proxy');

  const workDir = mkdtempSync(join(tmpdir(), 'tokengate-bench-'));
  tempDirs.push(workDir);
  keepTemp = options.keepTemp;
  if (keepTemp) progress(`temporary files (kept): ${workDir}`);
  const bodyFile = join(workDir, 'body-2mib.json');
  if (options.rows.includes(7)) writeLargeBody(bodyFile);

  progress('starting the upstream…');
  const upstream = await processes.start({
    name: 'upstream',
    command: process.execPath,
    args: ['--import', 'tsx', join(BENCH_DIR, 'lib', 'upstream-server.ts'), '0'],
    cpu: plan.loadCpu,
    cwd: REPO_DIR,
    logFile: join(workDir, 'upstream.log'),
    ready: { kind: 'line', pattern: /listening on (http:\/\/127\.0\.0\.1:\d+)/ },
    timeoutMs: 30_000,
  });
  const upstreamUrl = upstream.match?.[1] as string;
  const targets = new Targets({
    processes,
    repoDir: REPO_DIR,
    benchDir: BENCH_DIR,
    workDir,
    upstreamUrl,
    proxyCpu: plan.proxyCpu,
    build: options.build,
    compareRepo: options.compareRepo === null ? null : resolve(options.compareRepo),
    bodyFile,
    log: progress,
    tempDirs,
  });
  targets.setGroup(1, upstream.child.pid);
  groupOf = (row) => targets.groupOf(row);
  groupNamesOf = (row) => targets.groupNamesOf(row);

  // Row 1's request is the reference of the half-load measurement even when row 1 is not shown.
  const requests = new Map<RowId, WrkRequest>();
  requests.set(1, await targets.prepare(1));
  const records: RowRecord[] = [];
  for (const id of options.rows) {
    const record: RowRecord = {
      id,
      label: ROW_LABELS[id],
      request: '',
      skipped: null,
      warmup: null,
      rounds: [],
      halfLoad: null,
    };
    records.push(record);
    progress(`row ${id}: ${record.label}: starting…`);
    try {
      const request = requests.get(id) ?? (await targets.prepare(id));
      const problem = await preflight(request, UPSTREAM_REPLY);
      if (problem !== null) throw new SkipRow(problem);
      requests.set(id, request);
      record.request = describeRequest(request);
    } catch (err) {
      if (stopping) throw err;
      record.skipped = err instanceof SkipRow ? err.message : `could not start: ${(err as Error).message}`;
      progress(`row ${id}: skipped: ${record.skipped}`);
    }
  }

  const active = records.filter((r) => r.skipped === null);
  await measureSaturation(plan, active, requests);
  if (options.halfLoad) await measureHalfLoad(plan, active, requests);

  const table = renderResults(records);
  const proxyCpu = renderProxyCpu(records);
  const notes = renderNotes(records);
  const file = writeResults(options.outDir, machine, plan, records);
  process.stdout.write(
    [
      '',
      header(machine, plan, records),
      '',
      table,
      '',
      ...records.filter((r) => r.skipped === null).map((r) => `row ${r.id} sends ${r.request}`),
      'req/s: median of the rounds (min–max); p50/p99: median of the rounds; ×rowN: median over rounds of the ratio to row N in the same round.',
      ...(proxyCpu === null ? [] : [proxyCpu]),
      ...(options.halfLoad ? [HALF_LOAD_NOTE] : []),
      ...notes.map((n) => `note: ${n}`),
      `saved: ${relative(process.cwd(), file) || file}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function writeResults(outDir: string, machine: MachineDescription, plan: Plan, records: RowRecord[]): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `proxy-bench-${machine.date.replace(/[:.]/g, '-')}.json`);
  const result = {
    benchmark: 'tokengate proxy-bench',
    formatVersion: 1,
    machine,
    options: plan.options,
    cpuPinning: { loadGeneratorAndUpstream: plan.loadCpu, proxyUnderTest: plan.proxyCpu },
    upstreamReplyBytes: Buffer.byteLength(UPSTREAM_REPLY),
    rows: records.map((record) => ({ ...record, summary: summarize(record, records) })),
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

function removeTemp(): void {
  if (!keepTemp) removeDirs(tempDirs);
}

async function shutdown(): Promise<void> {
  await processes.stopAll();
  removeTemp();
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  if (stopping) return;
  stopping = true;
  progress(`\n${signal}: stopping every process the benchmark started…`);
  shutdown().finally(() => process.exit(code));
}

process.once('SIGINT', () => onSignal('SIGINT', 130));
process.once('SIGTERM', () => onSignal('SIGTERM', 143));
process.once('exit', () => {
  processes.killAllSync();
  removeTemp();
});

main()
  .then(async (code) => {
    if (stopping) return;
    await shutdown();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    if (stopping) return;
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown();
    process.exit(1);
  });
