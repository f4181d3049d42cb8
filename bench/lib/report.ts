import type { Calibration } from './half-load.js';
import type { RowId } from './options.js';
import { median, type Spread, spread } from './stats.js';
import { type Column, formatMs, formatRate, formatRatio, renderTable } from './table.js';
import { errorCount, type WrkResult } from './wrk.js';

/**
 * One wrk run, how much CPU the rest of the machine used meanwhile (% of one CPU), and the CPU
 * time the process under test spent per request (µs; null when unknown).
 */
export type Measured = WrkResult & {
  readonly otherCpuPercent: number | null;
  readonly proxyCpuUsPerRequest: number | null;
  /** Each process under test's share of `proxyCpuUsPerRequest` (row 10: nginx, tokengate), µs. */
  readonly proxyCpuUsPerRequestEach?: readonly number[] | null;
  /** What each entry of `proxyCpuUsPerRequestEach` is. */
  readonly cpuNames?: readonly string[];
};

/** p99 at about half of a row's saturating load, and what the same paced load costs the upstream directly. */
export interface HalfLoadResult {
  readonly calibration: Calibration;
  readonly runs: Measured[];
  /** Calibration of the reference (upstream directly, the row's request); null for row 1 itself. */
  readonly referenceCalibration: Calibration | null;
  readonly referenceRuns: Measured[];
  readonly error: string | null;
}

export interface RowRecord {
  readonly id: RowId;
  readonly label: string;
  /** `GET /path (Basic)`, never a secret. */
  request: string;
  skipped: string | null;
  warmup: Measured | null;
  readonly rounds: Measured[];
  halfLoad: HalfLoadResult | null;
}

export interface RowSummary {
  readonly reqPerSec: Spread;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Median over rounds of this row's rate / row 2's rate in the same round. */
  readonly vsRow2: number;
  readonly vsRow4: number;
  readonly requests: number;
  readonly errors: number;
  /** Median over the rounds of the CPU other processes took (% of one CPU); null when unknown. */
  readonly otherCpuPercent: number | null;
  /**
   * Median over the rounds of the CPU time the process under test spent per request, µs (its own
   * work only: not wrk's, not the upstream's). Much less sensitive to a busy neighbour than req/s.
   */
  readonly proxyCpuUsPerRequest: number | null;
  readonly halfLoad: {
    readonly targetReqPerSec: number;
    readonly achievedReqPerSec: Spread;
    readonly p99Ms: number;
    readonly referenceP99Ms: number | null;
    /** Median over rounds of (row p99 − upstream-directly p99) at the same paced rate. */
    readonly addedP99Ms: number | null;
  } | null;
}

/**
 * Ratio of two rows' rates, paired round by round (both were measured within the same round, so
 * slow drift of the machine cancels), then the median. Falls back to the ratio of the medians.
 */
function pairedRatio(row: readonly WrkResult[], base: readonly WrkResult[] | undefined): number {
  if (base === undefined || base.length === 0 || row.length === 0) return Number.NaN;
  if (base.length !== row.length) return median(row.map((r) => r.reqPerSec)) / median(base.map((r) => r.reqPerSec));
  return median(row.map((r, i) => r.reqPerSec / (base[i]?.reqPerSec ?? Number.NaN)));
}

function pairedDifference(row: readonly WrkResult[], base: readonly WrkResult[]): number | null {
  if (row.length === 0 || base.length !== row.length) return null;
  return median(row.map((r, i) => r.latencyMs.p99 - (base[i]?.latencyMs.p99 ?? Number.NaN)));
}

function proxyCpu(runs: readonly Measured[]): number | null {
  const known = runs.flatMap((r) => (r.proxyCpuUsPerRequest === null ? [] : [r.proxyCpuUsPerRequest]));
  return known.length === 0 ? null : median(known);
}

function otherCpu(runs: readonly Measured[]): number | null {
  const known = runs.flatMap((r) => (r.otherCpuPercent === null ? [] : [r.otherCpuPercent]));
  return known.length === 0 ? null : Math.round(median(known));
}

/** Median CPU % taken by other processes over every measured run of every row; null when unknown. */
export function overallOtherCpu(records: readonly RowRecord[]): number | null {
  return otherCpu(
    records.flatMap((r) => [...r.rounds, ...(r.halfLoad?.runs ?? []), ...(r.halfLoad?.referenceRuns ?? [])]),
  );
}

export function summarize(record: RowRecord, all: readonly RowRecord[]): RowSummary | null {
  if (record.rounds.length === 0) return null;
  const roundsOf = (id: RowId) => all.find((r) => r.id === id && r.skipped === null)?.rounds;
  const half = record.halfLoad;
  return {
    reqPerSec: spread(record.rounds.map((r) => r.reqPerSec)),
    p50Ms: median(record.rounds.map((r) => r.latencyMs.p50)),
    p99Ms: median(record.rounds.map((r) => r.latencyMs.p99)),
    vsRow2: pairedRatio(record.rounds, roundsOf(2)),
    vsRow4: pairedRatio(record.rounds, roundsOf(4)),
    requests: record.rounds.reduce((sum, r) => sum + r.requests, 0),
    errors: record.rounds.reduce((sum, r) => sum + errorCount(r), 0),
    otherCpuPercent: otherCpu(record.rounds),
    proxyCpuUsPerRequest: proxyCpu(record.rounds),
    halfLoad:
      half === null || half.runs.length === 0
        ? null
        : {
            targetReqPerSec: half.calibration.targetReqPerSec,
            achievedReqPerSec: spread(half.runs.map((r) => r.reqPerSec)),
            p99Ms: median(half.runs.map((r) => r.latencyMs.p99)),
            referenceP99Ms:
              half.referenceRuns.length === 0 ? null : median(half.referenceRuns.map((r) => r.latencyMs.p99)),
            addedP99Ms: record.id === 1 ? 0 : pairedDifference(half.runs, half.referenceRuns),
          },
  };
}

const COLUMNS: readonly Column[] = [
  { title: 'row', align: 'right' },
  { title: 'target', align: 'left' },
  { title: 'req/s median (min–max)', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: '×row2', align: 'right' },
  { title: '×row4', align: 'right' },
  { title: '½-load req/s', align: 'right' },
  { title: 'p99 @½ ms', align: 'right' },
  { title: '+p99 vs row1 ms', align: 'right' },
];

function shorten(text: string, max: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The one table: a line per row, skipped rows say why. */
export function renderResults(records: readonly RowRecord[]): string {
  const lines = records.map((record): string[] => {
    const summary = summarize(record, records);
    if (record.skipped !== null || summary === null) {
      return [String(record.id), record.label, `skipped: ${shorten(record.skipped ?? 'no result', 60)}`];
    }
    const rate = summary.reqPerSec;
    const flag = summary.errors > 0 ? ' !' : '';
    const half = summary.halfLoad;
    return [
      String(record.id),
      record.label,
      `${formatRate(rate.median)} (${formatRate(rate.min)}–${formatRate(rate.max)})${flag}`,
      formatMs(summary.p50Ms),
      formatMs(summary.p99Ms),
      record.id === 2 ? '1.00×' : formatRatio(summary.vsRow2),
      record.id === 4 ? '1.00×' : formatRatio(summary.vsRow4),
      half === null ? '—' : formatRate(half.achievedReqPerSec.median),
      half === null ? '—' : formatMs(half.p99Ms),
      half === null || half.addedP99Ms === null
        ? '—'
        : record.id === 1
          ? '(ref)'
          : `${half.addedP99Ms >= 0 ? '+' : ''}${formatMs(half.addedP99Ms)}`,
    ];
  });
  return renderTable(COLUMNS, lines);
}

/**
 * The line under the table with each row's CPU time per request in the process under test
 * (median of the rounds), and its ratio to row 2's; null when none is known.
 */
export function renderProxyCpu(records: readonly RowRecord[]): string | null {
  const summaries = records.flatMap((record) => {
    const summary = record.skipped === null ? summarize(record, records) : null;
    return summary?.proxyCpuUsPerRequest == null ? [] : [{ id: record.id, us: summary.proxyCpuUsPerRequest }];
  });
  if (summaries.length === 0) return null;
  const row2 = summaries.find((s) => s.id === 2)?.us;
  const parts = summaries.map(({ id, us }) => {
    const vs = row2 === undefined || id === 2 || us <= 0 ? '' : ` (row 2 ÷ this ${formatRatio(row2 / us)})`;
    return `row ${id} ${us >= 100 ? us.toFixed(0) : us.toFixed(1)} µs${vs}`;
  });
  return `CPU per request in the process under test (median of the rounds; row 1 = the upstream): ${parts.join(' · ')}`;
}

/** Notes under the table: skipped rows in full, errors, half-load runs that missed their rate. */
export function renderNotes(records: readonly RowRecord[]): string[] {
  const notes: string[] = [];
  for (const record of records) {
    if (record.skipped !== null) {
      notes.push(`row ${record.id} skipped: ${record.skipped}`);
      continue;
    }
    const summary = summarize(record, records);
    if (summary === null) continue;
    if (summary.errors > 0) {
      const e = record.rounds.reduce(
        (sum, r) => ({
          status: sum.status + r.errors.status,
          socket: sum.socket + r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
        }),
        { status: 0, socket: 0 },
      );
      notes.push(
        `row ${record.id} (!): ${e.status} non-2xx answers and ${e.socket} socket errors in ${summary.requests} requests`,
      );
    }
    if (summary.otherCpuPercent !== null && summary.otherCpuPercent >= 25) {
      notes.push(
        `row ${record.id}: other processes took ${summary.otherCpuPercent}% of a CPU during its rounds (median): its numbers are likely low`,
      );
    }
    const half = summary.halfLoad;
    if (record.halfLoad?.error) notes.push(`row ${record.id} half-load: ${record.halfLoad.error}`);
    if (half !== null) {
      const off = half.achievedReqPerSec.median / half.targetReqPerSec - 1;
      if (Math.abs(off) > 0.1) {
        notes.push(
          `row ${record.id} half-load ran at ${formatRate(half.achievedReqPerSec.median)} req/s, ` +
            `${(off * 100).toFixed(0)}% off the wanted ${formatRate(half.targetReqPerSec)}`,
        );
      }
    }
  }
  return notes;
}
