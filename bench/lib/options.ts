import { parseArgs } from 'node:util';

/** The rows of the benchmark table, in order (see bench/README.md). */
export const ALL_ROWS = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11] as const;
/** Row 8 is row 5 run from another checkout (`--compare DIR`): before and after a change, same run. */
export const COMPARE_ROW = 8;
/** Row 10: nginx asking tokengate's decision endpoint (auth_request), row 5's token and request. */
export const DECISION_ROW = 10;
export type RowId = (typeof ALL_ROWS)[number] | typeof COMPARE_ROW;

export interface BenchOptions {
  /** Length of one measured wrk run, whole seconds. */
  readonly durationS: number;
  /** Length of the warm-up run of each row, whole seconds (0: none). */
  readonly warmupS: number;
  readonly connections: number;
  readonly rounds: number;
  readonly rows: readonly RowId[];
  /** Also measure p99 at about half of each row's saturating load. */
  readonly halfLoad: boolean;
  /** Run `npm run build` before the tokengate rows. */
  readonly build: boolean;
  /** Where the JSON result goes. */
  readonly outDir: string;
  /** Keep the temporary directory (logs, configs, data dirs) for inspection. */
  readonly keepTemp: boolean;
  /** Another checkout (already built) whose tokengate row 8 measures like row 5; null: no row 8. */
  readonly compareRepo: string | null;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run bench -- [options]

  --duration D       length of one measured run (default 5s; whole seconds: 5s, 1m)
  --warmup D         warm-up run of each row before the rounds (default: min(duration, 3s); 0 = none)
  --connections N    wrk connections at saturation (default 32)
  --rounds N         alternating rounds; the median is reported (default 3)
  --rows LIST        rows to run, e.g. 1,2,5 (default every row but 8; 1 and 2-4 are the baselines)
  --no-half-load     skip the p99-at-half-load measurement
  --no-build         do not run \`npm run build\` before the tokengate rows (use dist/ as it is)
  --out DIR          where the JSON result is written (default bench/results)
  --keep-temp        keep the temporary directory (logs, nginx config, data dirs)
  --compare DIR      add row 8: row 5's workload on the tokengate built in DIR (another checkout,
                     \`npm run build\` done there), e.g. the commit before a change, in the same run
  -h, --help         this text

Rows: 1 upstream directly · 2 bare Node http + undici pool.stream() · 3 nginx proxy_pass ·
4 nginx auth_basic {SHA} · 5 tokengate Basic, 3-line limitTo · 6 tokengate Bearer, 100-line limitTo ·
7 tokengate POST 2 MiB body with a JsonData rule · 9 row 5 with a rate limit (counted in the
database on every call; the limit is never reached) · 10 nginx + auth_request → tokengate's
decision endpoint (row 5's token and request; CPU of nginx and tokengate both counted) ·
11 row 9 counted in Redis (TOKENGATE_BENCH_REDIS_URL, default redis://127.0.0.1:6379; skipped
when Redis does not answer).
A quick smoke run: npm run bench -- --duration 1s --warmup 1s --rounds 1 --rows 1,2 --no-half-load
`;

/** `5s` → 5, `1m` → 60, `7` → 7; whole seconds only (wrk's -d takes whole seconds). */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+)(s|m)?$/.exec(text.trim());
  if (match === null) throw new UsageError(`${option}: expected whole seconds like 5s or 1m, got "${text}"`);
  const value = Number(match[1]) * (match[2] === 'm' ? 60 : 1);
  if (value > 3600) throw new UsageError(`${option}: at most 1 hour`);
  return value;
}

/** A whole number between `min` and `max`. @throws UsageError */
export function parseCount(text: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option}: expected a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${option}: must be between ${min} and ${max}`);
  return value;
}

function parseRows(text: string, known: readonly RowId[]): RowId[] {
  const rows = new Set<RowId>();
  for (const part of text.split(',')) {
    const id = Number(part.trim());
    const row = known.find((r) => r === id);
    if (row === undefined) {
      throw new UsageError(`--rows: unknown row "${part}" (rows are ${known.join(', ')}; row 8 needs --compare)`);
    }
    rows.add(row);
  }
  return [...rows].sort((a, b) => a - b);
}

/** Parses the command line; `null` means `--help` was asked for. @throws UsageError */
export function parseOptions(argv: readonly string[], defaultOutDir: string): BenchOptions | null {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return null;
  const durationS = parseDuration(values.duration ?? '5s', '--duration');
  const compareRepo = values.compare ?? null;
  if (compareRepo !== null && compareRepo.trim() === '') throw new UsageError('--compare: give a directory');
  const known: RowId[] = compareRepo === null ? [...ALL_ROWS] : [...ALL_ROWS, COMPARE_ROW];
  if (durationS < 1) throw new UsageError('--duration: at least 1s');
  return {
    durationS,
    warmupS: values.warmup === undefined ? Math.min(durationS, 3) : parseDuration(values.warmup, '--warmup'),
    connections: parseCount(values.connections ?? '32', '--connections', 1, 1024),
    rounds: parseCount(values.rounds ?? '3', '--rounds', 1, 20),
    rows: values.rows === undefined ? known : parseRows(values.rows, known),
    halfLoad: values['no-half-load'] !== true,
    build: values['no-build'] !== true,
    outDir: values.out ?? defaultOutDir,
    keepTemp: values['keep-temp'] === true,
    compareRepo,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      rows: { type: 'string' },
      'no-half-load': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      out: { type: 'string' },
      'keep-temp': { type: 'boolean' },
      compare: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}
