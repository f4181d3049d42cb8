/**
 * Speed of the limitTo engine: decisions per second for a 3-line and a 100-line rule set
 * (parsed once, as the gateway caches them), µs per decision, the time to parse a 100-line rule
 * set, and what the exact fast paths of `FullMatcher` save over plain RE2.
 * Run: npm run bench:engine
 */
import { cpus, loadavg } from 'node:os';
import { compileFullMatcher } from '../src/restrictions/full-matcher.js';
import { evaluate, parseLimitTo } from '../src/restrictions/index.js';
import type { RequestFacts, RuleSet } from '../src/restrictions/types.js';

const PUBLIC_URL = 'https://wiki.example.com';
const ROUNDS = 7;
const ROUND_MS = 300;

function facts(method: string, pathAndQuery: string, body?: unknown): RequestFacts {
  const [path = '/', rawQuery = ''] = pathAndQuery.split('?');
  const query = new Map<string, string[]>();
  for (const pair of rawQuery.split('&').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    const [name, value] = (eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]).map((s) =>
      decodeURIComponent(s.replaceAll('+', ' ')),
    ) as [string, string];
    query.set(name, [...(query.get(name) ?? []), value]);
  }
  return {
    method,
    path,
    absoluteUrl: PUBLIC_URL + path,
    query,
    ...(body === undefined ? {} : { body: { kind: 'json' as const, value: body } }),
  };
}

/** The SPEC's examples, the one that matches the benchmark request last. */
const THREE_LINES = [
  '[POST].*/rest/api/space/EXTENDER/property.*',
  '[GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]',
  '[GET].*/rest/api/space.*',
].join('\n');

/** 99 varied, realistic rules, then the one the benchmark request matches. */
function hundredLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < 99; i++) {
    const key = `SPACE${i}`;
    switch (i % 8) {
      case 0:
        lines.push(`[GET].*/rest/api/space/${key}.*`);
        break;
      case 1:
        lines.push(`[POST].*/rest/api/space/${key}/property.*`);
        break;
      case 2:
        lines.push(`[GET].*/rest/api/content.*[QueryParam::spaceKey==${key}][QueryParam::expand==history]`);
        break;
      case 3:
        lines.push(`[POST].*/rest/api/content/?[JsonData::type==page][JsonData::space.key==${key}]`);
        break;
      case 4:
        lines.push(`[PUT].*/rest/api/content/[0-9]+[JsonData::space.key==${key}]`);
        break;
      case 5:
        lines.push(`[GET|HEAD].*/rest/api/content/${1000 + i}/child/(page|comment|attachment)`);
        break;
      case 6:
        lines.push(`[DELETE].*/rest/api/content/${2000 + i}`);
        break;
      default:
        lines.push(`.*/rest/extender/1.0/${key.toLowerCase()}/.*`);
    }
  }
  lines.push('[GET].*/rest/api/search.*[QueryParam::cql==space=PM.*][QueryParam::limit==[0-9]{1,3}]');
  return lines.join('\n');
}

function mustParse(text: string): RuleSet {
  const parsed = parseLimitTo(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.ruleSet;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median ns per call of `fn` over several timed rounds, after a warm-up. */
function nsPerCall(fn: () => unknown): number {
  let batch = 1000;
  const warmUntil = process.hrtime.bigint() + 200_000_000n;
  while (process.hrtime.bigint() < warmUntil) for (let i = 0; i < batch; i++) fn();
  // size a batch to about ROUND_MS
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms > ROUND_MS / 4) {
      batch = Math.max(1, Math.round((batch * ROUND_MS) / ms));
      break;
    }
    batch *= 4;
  }
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - t) / batch);
  }
  return median(rounds);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const three = mustParse(THREE_LINES);
const hundredText = hundredLines();
const hundred = mustParse(hundredText);

const scenarios: { name: string; ruleSet: RuleSet; facts: RequestFacts; expect: boolean | number }[] = [
  {
    name: '3 lines, allowed by line 3',
    ruleSet: three,
    facts: facts('GET', '/rest/api/space/DEMO?expand=homepage'),
    expect: 3,
  },
  { name: '3 lines, denied (no line)', ruleSet: three, facts: facts('GET', '/rest/api/user/current'), expect: false },
  {
    name: '100 lines, allowed by line 100',
    ruleSet: hundred,
    facts: facts('GET', '/rest/api/search?cql=space=PM+and+type=page&limit=25'),
    expect: 100,
  },
  {
    name: '100 lines, denied (no line)',
    ruleSet: hundred,
    facts: facts('GET', '/rest/api/user/current'),
    expect: false,
  },
  {
    name: '100 lines, denied, JSON body read',
    ruleSet: hundred,
    facts: facts('POST', '/rest/api/content', { type: 'page', space: { key: 'NOPE' } }),
    expect: false,
  },
];

console.log(
  `limitTo engine — Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}; ` +
    `median of ${ROUNDS} rounds of ~${ROUND_MS} ms each\n`,
);
const rows: string[][] = [];
for (const s of scenarios) {
  const verdict = evaluate(s.ruleSet, s.facts);
  const got = verdict.allowed ? verdict.line : false;
  if (got !== s.expect) throw new Error(`${s.name}: expected ${s.expect}, got ${got}`);
  const ns = nsPerCall(() => evaluate(s.ruleSet, s.facts));
  rows.push([s.name, fmt(1e9 / ns), fmt(ns / 1000, 2)]);
}
table(['decision', 'decisions/s', 'µs/decision'], rows);

const parseMs = median(
  Array.from({ length: 15 }, () => {
    const t = process.hrtime.bigint();
    mustParse(hundredText);
    return Number(process.hrtime.bigint() - t) / 1e6;
  }),
);
console.log(
  `\nparse a 100-line rule set (${fmt(hundredText.length)} characters): ${fmt(parseMs, 2)} ms (median of 15)\n`,
);

const patterns: [string, string][] = [
  ['.*/rest/api/space.*', '/rest/api/content/12345/child/page'],
  ['.*/rest/api/space.*', '/rest/api/space/DEMO'],
  ['PM.*', 'PMO'],
  ['history', 'history'],
  ['.*/rest/api/content/?', '/rest/api/space/DEMO'],
  ['.*/rest/api/content/?', '/rest/api/content/'],
  ['[0-9]{1,3}', '25'],
];
const matcherRows: string[][] = [];
for (const [pattern, input] of patterns) {
  const fast = compileFullMatcher(pattern);
  const plain = compileFullMatcher(pattern, { fastPaths: false });
  if (!fast.ok || !plain.ok) throw new Error(pattern);
  if (fast.matcher.test(input) !== plain.matcher.test(input)) throw new Error(`${pattern} disagrees on ${input}`);
  const fastNs = nsPerCall(() => fast.matcher.test(input));
  const plainNs = nsPerCall(() => plain.matcher.test(input));
  matcherRows.push([
    pattern,
    input,
    String(fast.matcher.test(input)),
    fast.matcher.strategy,
    fmt(fastNs, 0),
    fmt(plainNs, 0),
  ]);
}
console.log('one full-match test, with the exact fast paths vs RE2 alone:');
table(['pattern', 'input', 'match', 'strategy', 'ns', 'RE2-only ns'], matcherRows);
