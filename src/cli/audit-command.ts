import {
  isAuditDecision,
  matchesAuditFilter,
  parseDecision,
  parseTime,
  TimeFormatError,
} from '../audit/audit-filter.js';
import { truncate } from '../audit/sanitize.js';
import { loadConfig } from '../config/load-config.js';
import { ndjsonLine } from '../store/audit-export.js';
import type { AuditDecision, AuditFilter, StoredAuditRecord } from '../store/models.js';
import type { Store } from '../store/store.js';
import { COMMON_HELP, type CommonValues, expectPositionals, parseCommandLine } from './cli-common.js';
import { CliError, UsageError } from './cli-errors.js';
import { printable } from './cli-format.js';
import { type CliIo, processIo } from './cli-io.js';

const HELP_COMMAND = 'tokengate audit --help';

export const AUDIT_USAGE = `Usage: tokengate audit [filters] [--max N] [--json] [--follow]
       tokengate audit export --format csv|ndjson [filters] > FILE

Shows the newest --max matching records of the audit log, oldest first; --follow then keeps
printing new matching records as they come, until Ctrl-C.

Filters:
  --token-id ID   only records of this token
  --user U        only records of this user (case-insensitive)
  --decision D    allowed, denied, refused, unauthenticated, error or admin
  --from T        from this time on (epoch ms or ISO 8601, e.g. 2024-05-01 or 2024-05-01T12:00Z; UTC
                  when no offset is given)
  --to T          up to this time (inclusive)
  --path P        only paths starting with P (e.g. /rest/api/)

Output:
  --max N         how many records to show first (1-10000, default 50)
  --json          one JSON object per line (NDJSON) instead of a table
  --follow        then poll for new records every 250 ms until Ctrl-C

Export (audit export): every matching record, newest first, to stdout, in the format of the admin
API's export (GET tokenTools/audit?format=csv|ndjson): CSV with a header row (formula-looking
text prefixed with ') or one JSON object per line. Takes the filters above; no --max, --follow.

${COMMON_HELP}`;

const DEFAULT_MAX = 50;
const MAX_MAX = 10_000;
/** Records read per poll of `--follow`. */
const FOLLOW_BATCH = 1000;

const AUDIT_OPTIONS = {
  'token-id': { type: 'string' },
  user: { type: 'string' },
  decision: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  path: { type: 'string' },
  max: { type: 'string' },
  json: { type: 'boolean' },
  follow: { type: 'boolean' },
} as const;

/** What the command reads from the store. */
export type AuditCommandStore = Pick<Store, 'queryAudit' | 'auditAfter' | 'exportAudit' | 'close'>;

/** Replaceable parts, for tests. */
export interface AuditCommandDeps {
  /** Opens the store the configuration names (default `openStore`). */
  readonly openStore?: (options: { dataDir: string; databaseUrl: string | null }) => Promise<AuditCommandStore>;
  /** Stops `--follow` (default: SIGINT or SIGTERM). */
  readonly signal?: AbortSignal;
  /** Poll interval of `--follow`, ms. Default 250. */
  readonly pollMs?: number;
}

interface AuditCommandOptions {
  readonly filter: AuditFilter;
  readonly max: number;
  readonly json: boolean;
  readonly follow: boolean;
}

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseCommandLine(argv, AUDIT_OPTIONS, HELP_COMMAND);
}

const EXPORT_OPTIONS = {
  ...Object.fromEntries(Object.entries(AUDIT_OPTIONS).filter(([name]) => !['max', 'json', 'follow'].includes(name))),
  format: { type: 'string' },
} as { [K in Exclude<keyof typeof AUDIT_OPTIONS, 'max' | 'json' | 'follow'>]: (typeof AUDIT_OPTIONS)[K] } & {
  format: { type: 'string' };
};
/** Records read per page of an export (as the admin API's export). */
const EXPORT_PAGE_SIZE = 1000;

function readTime(values: Values, name: 'from' | 'to'): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  try {
    return parseTime(`--${name}`, value);
  } catch (err) {
    if (err instanceof TimeFormatError) throw new UsageError(err.message, HELP_COMMAND);
    throw err;
  }
}

/** The filter and output options; @throws UsageError */
function readOptions(values: Values): AuditCommandOptions {
  let decision: AuditDecision | undefined;
  if (values.decision !== undefined) {
    const parsed = parseDecision(values.decision);
    if (!isAuditDecision(parsed)) throw new UsageError(`--${parsed}`, HELP_COMMAND);
    decision = parsed;
  }
  const from = readTime(values, 'from');
  const to = readTime(values, 'to');
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError('--from must not be after --to', HELP_COMMAND);
  if (values.path !== undefined && !values.path.startsWith('/')) {
    throw new UsageError('--path must start with "/" (it is a path prefix such as /rest/api/)', HELP_COMMAND);
  }
  let max = DEFAULT_MAX;
  if (values.max !== undefined) {
    max = /^[0-9]+$/.test(values.max) ? Number(values.max) : Number.NaN;
    if (!Number.isInteger(max) || max < 1 || max > MAX_MAX) {
      throw new UsageError(`--max must be a whole number from 1 to ${MAX_MAX}`, HELP_COMMAND);
    }
  }
  const tokenId = values['token-id'];
  const filter: AuditFilter = {
    ...(tokenId !== undefined && { tokenId }),
    ...(values.user !== undefined && { user: values.user }),
    ...(decision !== undefined && { decision }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(values.path !== undefined && { path: values.path }),
  };
  return { filter, max, json: values.json === true, follow: values.follow === true };
}

/** Table columns: header, width (0: the last column, as long as it is), value. */
const COLUMNS: readonly (readonly [string, number, (r: StoredAuditRecord) => string])[] = [
  ['TIME', 24, (r) => new Date(r.time).toISOString()],
  ['DECISION', 15, (r) => r.decision],
  ['USER', 16, (r) => r.user ?? '-'],
  ['TOKEN', 20, (r) => r.tokenLabel ?? r.tokenId ?? '-'],
  ['METHOD', 7, (r) => r.method],
  ['PATH', 40, (r) => r.path],
  ['STATUS', 6, (r) => (r.upstreamStatus === null ? '-' : String(r.upstreamStatus))],
  ['REASON', 0, (r) => r.reason],
];

/**
 * Fixed column widths (not "widest cell") so `--follow` can print rows one at a time under the
 * same header. Stored values are already escaped; `printable` guards the terminal anyway.
 */
function cell(value: string, width: number): string {
  const text = printable(value);
  return width === 0 ? text : truncate(text, width).padEnd(width);
}

function tableHeader(): string {
  return `${COLUMNS.map(([name, width]) => (width === 0 ? name : name.padEnd(width))).join(' ')}\n`;
}

function tableRow(record: StoredAuditRecord): string {
  const cells = COLUMNS.map(([, width, get]) => cell(get(record), width));
  return `${cells.join(' ').trimEnd()}\n`;
}

/** An AbortSignal fired by SIGINT/SIGTERM; `dispose` removes the handlers. */
function signalOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** Resolves after `ms`, or at once when `signal` fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Prints matching records after `lastId` (by id, oldest first) until `signal` fires, except those
 * already `printed`.
 */
async function follow(
  store: Pick<Store, 'auditAfter'>,
  filter: AuditFilter,
  print: (r: StoredAuditRecord) => void,
  from: { readonly lastId: number; readonly printed: ReadonlySet<number> },
  signal: AbortSignal,
  pollMs: number,
): Promise<void> {
  let lastId = from.lastId;
  while (!signal.aborted) {
    const fresh = await store.auditAfter(lastId, FOLLOW_BATCH);
    for (const record of fresh) {
      lastId = Math.max(lastId, record.id);
      if (matchesAuditFilter(record, filter) && !from.printed.has(record.id)) print(record);
    }
    if (fresh.length < FOLLOW_BATCH) await sleep(pollMs, signal);
  }
}

/**
 * Loads the configuration (file of `--config`, `TOKENGATE_*` environment, `--data-dir`) like every
 * command, opens ONLY the store, runs `work` and closes the store whatever happens. Reading the
 * audit log needs neither the keys nor the secure-mode check that `openServices` performs, so
 * the command never creates a key file as a side effect and does not load the token modules.
 *
 * @throws CliError for an invalid configuration (every problem on one line)
 */
async function withAuditStore(
  values: CommonValues,
  io: CliIo,
  deps: AuditCommandDeps,
  work: (store: AuditCommandStore) => Promise<void>,
): Promise<void> {
  const file = typeof values.config === 'string' ? values.config : undefined;
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const loaded = loadConfig({ file, env: io.env, overrides: { dataDir } });
  if (!loaded.ok) throw new CliError(`invalid configuration: ${loaded.errors.join('; ')}`);
  for (const warning of loaded.warnings) io.stderr(`tokengate: warning: ${warning}\n`);
  // loaded on use: help and usage errors answer without loading the database drivers
  const open = deps.openStore ?? (await import('../store/open-store.js')).openStore;
  const store = await open({ dataDir: loaded.config.dataDir, databaseUrl: loaded.config.database.url });
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

/**
 * `tokengate audit [filters] [--max N] [--json] [--follow] [--data-dir D] [--config F]`: prints the
 * newest `--max` matching records, oldest first, as a table (time ISO, decision, user, token
 * label, method, path, status, reason) or NDJSON (`--json`, the export's format); `--follow`
 * then polls `auditAfter` every 250 ms and prints new matching records until SIGINT/SIGTERM.
 * Returns the exit code; throws `UsageError` / `CliError` for the caller to print (as every
 * command does).
 *
 * @example
 * tokengate audit --decision denied --from 2024-05-01 --follow
 * tokengate audit --user bob --max 1000 --json > bob.ndjson
 */
export async function runAuditCommand(
  argv: string[],
  io: CliIo = processIo(),
  deps: AuditCommandDeps = {},
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(AUDIT_USAGE);
    return 0;
  }
  if (argv[0] === 'export') return runAuditExport(argv.slice(1), io, deps);
  const { values, positionals } = parse(argv);
  expectPositionals(positionals, [], HELP_COMMAND);
  const options = readOptions(values);
  const print = (record: StoredAuditRecord) => io.stdout(options.json ? ndjsonLine(record) : tableRow(record));

  await withAuditStore(values, io, deps, async (store) => {
    // --follow goes on from the newest record overall read BEFORE the page: a record written in
    // between is then followed (or was on the page: not printed twice), never missed
    const lastId = options.follow ? ((await store.queryAudit({}, 0, 1)).entries[0]?.id ?? 0) : 0;
    const page = await store.queryAudit(options.filter, 0, options.max);
    if (!options.json) io.stdout(tableHeader());
    for (const record of [...page.entries].reverse()) print(record);
    if (!options.follow) return;
    const interrupt = deps.signal === undefined ? signalOnInterrupt() : null;
    try {
      const signal = deps.signal ?? interrupt?.signal ?? AbortSignal.abort();
      const printed = new Set(page.entries.map((record) => record.id));
      await follow(store, options.filter, print, { lastId, printed }, signal, deps.pollMs ?? 250);
    } finally {
      interrupt?.dispose();
    }
  });
  return 0;
}

/**
 * `tokengate audit export --format csv|ndjson [filters]`: every matching record, newest first, to
 * stdout, through the admin API's exporters (`audit-export.ts`) and the same filter checks.
 */
async function runAuditExport(argv: string[], io: CliIo, deps: AuditCommandDeps): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, EXPORT_OPTIONS, HELP_COMMAND);
  expectPositionals(positionals, [], HELP_COMMAND);
  const format = values.format;
  if (format !== 'csv' && format !== 'ndjson') {
    throw new UsageError('audit export needs --format csv or --format ndjson', HELP_COMMAND);
  }
  const { filter } = readOptions(values as Values);
  await withAuditStore(values, io, deps, async (store) => {
    for await (const chunk of store.exportAudit(filter, format, EXPORT_PAGE_SIZE)) io.stdout(chunk);
  });
  return 0;
}
