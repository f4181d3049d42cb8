import { useEffect, useId, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Api, ApiError, type QueryValue } from './api.js';
import { bucketTotal, chartSummary, OUTCOME_COLOURS, OUTCOMES, stackedSeries } from './call-chart-data.js';
import { formatDateTime, sentence } from './format.js';
import type { AuditStats, CallOutcome } from './types.js';

export interface CallChartProps {
  readonly api: Api;
  /** The audit view's applied filters, as API query parameters (a new object only when they change). */
  readonly query: Readonly<Record<string, QueryValue>>;
  /** Changes when the view is refreshed. */
  readonly version: number;
}

const BUCKET_WORDS: Readonly<Record<AuditStats['bucket'], string>> = {
  minute: 'per minute',
  hour: 'per hour',
  day: 'per day (UTC)',
};

const SHORT_TIME = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** Table headings: `unauthenticated` is shortened so five columns fit a phone. */
const HEADINGS: Readonly<Record<CallOutcome, string>> = {
  allowed: 'allowed',
  denied: 'denied',
  unauthenticated: 'unauth.',
  error: 'error',
};

/** Start of a bucket for people: the UTC date for a day bucket, else local day and time. */
function bucketLabel(stats: AuditStats, start: number): string {
  return stats.bucket === 'day' ? new Date(start).toISOString().slice(0, 10) : SHORT_TIME.format(start);
}

function chartHeight(width: number): number {
  return width < 600 ? 180 : 220;
}

/** uPlot options for the stacked bars: our own legend (with totals) instead of uPlot's. */
function chartOptions(stats: AuditStats, width: number, label: string): uPlot.Options {
  const bars = uPlot.paths.bars?.({ size: [0.9, 48, 1], align: 0 });
  const first = stats.buckets[0]?.start ?? stats.from;
  const end = (stats.buckets[stats.buckets.length - 1]?.start ?? stats.to) + stats.bucketMs;
  return {
    width,
    height: chartHeight(width),
    ms: 1,
    title: undefined,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true, range: () => [first, end] },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.1))] },
    },
    axes: [
      { stroke: '#566170', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dde1e6' } },
      {
        stroke: '#566170',
        grid: { stroke: '#eef0f3' },
        ticks: { stroke: '#dde1e6' },
        // counts are whole numbers: no ticks between them
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? v.toLocaleString() : '')),
        size: 48,
      },
    ],
    series: [
      { label },
      ...stackedSeries(stats).layers.map(({ outcome }) => ({
        label: outcome,
        fill: OUTCOME_COLOURS[outcome],
        stroke: OUTCOME_COLOURS[outcome],
        width: 0,
        points: { show: false },
        ...(bars !== undefined && { paths: bars }),
      })),
    ],
  };
}

/** The uPlot canvas, sized to its box and resized with it. */
function StackedBars(props: { readonly stats: AuditStats; readonly label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const { x, layers } = stackedSeries(props.stats);
    const width = Math.max(200, element.clientWidth);
    const plot = new uPlot(
      chartOptions(props.stats, width, props.label),
      [x, ...layers.map((l) => l.values)] as uPlot.AlignedData,
      element,
    );
    const observer = new ResizeObserver(() => {
      const next = Math.max(200, element.clientWidth);
      if (next !== plot.width) plot.setSize({ width: next, height: chartHeight(next) });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.stats, props.label]);
  return <div class="call-chart-canvas" ref={box} role="img" aria-label={props.label} />;
}

/**
 * Calls over time by outcome (allowed, denied, unauthenticated, error) for the audit view's
 * filters — a token's activity when filtered by token. The server counts (`tokenTools/auditStats`,
 * GROUP BY in the database); the page only draws. A legend with totals and a table of the busy
 * buckets say the same in text.
 */
export function CallChart(props: CallChartProps) {
  const { api, query, version } = props;
  const [stats, setStats] = useState<AuditStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const heading = useId();
  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .get<AuditStats>('tokenTools/auditStats', query)
      .then(
        (result) => {
          if (!current) return;
          setStats(result);
          setError(null);
        },
        (err: unknown) => {
          if (!current) return;
          setError(err instanceof ApiError ? sentence(err.message) : 'The chart of calls could not be loaded.');
        },
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, query, version]);

  const busy = stats?.buckets.filter((b) => bucketTotal(b) > 0) ?? [];
  return (
    <section class="call-chart card" aria-labelledby={heading} aria-busy={loading}>
      <div class="call-chart-head">
        <h2 id={heading}>Calls over time</h2>
        {stats !== null && (
          <p class="muted small">
            {BUCKET_WORDS[stats.bucket]}, {formatDateTime(stats.from)} – {formatDateTime(stats.to)}
            {stats.truncated && ' (older calls are not shown: choose a start)'}
          </p>
        )}
      </div>
      {error !== null && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {stats === null && error === null && <p class="loading">Loading the chart…</p>}
      {stats !== null && (
        <>
          <ul class="chart-legend" aria-label="Totals of the chart">
            {OUTCOMES.map((outcome) => (
              <li key={outcome} data-outcome={outcome}>
                <span class={`swatch swatch-${outcome}`} aria-hidden="true" />
                <span class="legend-name">{outcome}</span> <strong class="legend-count">{stats.totals[outcome]}</strong>
              </li>
            ))}
            <li class="legend-total">
              total <strong class="legend-count">{stats.total}</strong>
            </li>
          </ul>
          {stats.total === 0 ? (
            <p class="call-chart-empty">No calls in this range</p>
          ) : (
            <>
              <StackedBars
                stats={stats}
                label={`Calls over time, ${BUCKET_WORDS[stats.bucket]}. ${chartSummary(stats)}`}
              />
              <details class="call-chart-table">
                <summary>
                  Show as a table ({busy.length} {busy.length === 1 ? 'period' : 'periods'} with calls)
                </summary>
                <div class="table-wrap">
                  <table class="chart-table">
                    <caption class="visually-hidden">Calls {BUCKET_WORDS[stats.bucket]} by decision</caption>
                    <thead>
                      <tr>
                        <th scope="col">{stats.bucket === 'day' ? 'Day (UTC)' : 'From'}</th>
                        {OUTCOMES.map((o) => (
                          <th key={o} scope="col">
                            {HEADINGS[o] === o ? o : <abbr title={o}>{HEADINGS[o]}</abbr>}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {busy.map((b) => (
                        <tr key={b.start}>
                          <td data-label={stats.bucket === 'day' ? 'Day (UTC)' : 'From'}>
                            {bucketLabel(stats, b.start)}
                          </td>
                          {OUTCOMES.map((o) => (
                            <td key={o} data-label={o}>
                              {b[o]}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          )}
        </>
      )}
    </section>
  );
}
