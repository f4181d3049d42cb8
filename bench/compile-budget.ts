/**
 * Calibration of the limitTo compile budget (src/restrictions/limits.ts): what one RE2 regex
 * costs to compile whatever its size (the fixed cost), what one unit of `regexWeight` costs for
 * each kind of atom, and how long the worst rule sets the current limits allow take to parse —
 * which must stay under 50 ms of CPU time. Run: npx tsx bench/compile-budget.ts
 * (the machine may be shared: every figure is the median of several runs; load is printed).
 */
import { cpus, loadavg } from 'node:os';
import { compileFullMatcher } from '../src/restrictions/full-matcher.js';
import {
  MAX_REGEX_WEIGHT,
  MAX_RULE_SET_WEIGHT,
  MAX_RULES,
  parseLimitTo,
  REGEX_BASE_WEIGHT,
} from '../src/restrictions/index.js';
import { regexWeight } from '../src/restrictions/regex-weight.js';

const RUNS = 7;
const TARGET_MS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Median CPU ms (user + system) of `fn` over RUNS runs, after one warm-up. CPU time, not wall
 * time: on a shared machine the wall clock also counts other processes' turns.
 */
function time(fn: () => void): number {
  fn();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / 1000);
  }
  return median(runs);
}

/** A small pattern that needs RE2 (not a literal, not a glob), distinct per `i`. */
function smallPattern(i: number): string {
  return `/rest/x${i}/[0-9]+`;
}

// 1. Fixed cost of one regex: many small ones.
const SMALL = 2000;
const smallWeight = regexWeight(smallPattern(0));
const fixedMs =
  time(() => {
    for (let i = 0; i < SMALL; i++) compileFullMatcher(smallPattern(i));
  }) / SMALL;

// 2. Cost per weight unit, per kind of atom, from one large regex of each kind.
const kinds: [string, (n: number) => string, number][] = [
  ['ASCII class [a-z]{n}', (n) => `[a-z]{${n}}`, 1],
  ['literal run (ab){n}', (n) => `(ab){${n}}`, 2],
  ['dot .{n}', (n) => `.{${n}}`, 10],
  ['negated class [^/]{n}', (n) => `[^/]{${n}}`, 10],
  ['Unicode letter \\pL{n}', (n) => `\\pL{${n}}`, 2500],
  ['Unicode script \\p{Greek}{n}', (n) => `\\p{Greek}{${n}}`, 2500],
];
const perUnit: { kind: string; weight: number; ms: number; usPerUnit: number }[] = [];
for (const [kind, make, atomWeight] of kinds) {
  // as large as one regex may be, within the repetition RE2 accepts (1000)
  const n = Math.min(1000, Math.floor(MAX_REGEX_WEIGHT / atomWeight));
  const source = make(n);
  const weight = regexWeight(source);
  const ms = time(() => {
    const result = compileFullMatcher(source);
    if (!result.ok) throw new Error(`${source}: ${result.reason}`);
  });
  perUnit.push({ kind, weight, ms, usPerUnit: ((ms - fixedMs) * 1000) / weight });
}
const worstUsPerUnit = Math.max(...perUnit.map((k) => k.usPerUnit));

// 3. The worst rule sets the current limits allow.
const base = REGEX_BASE_WEIGHT;
/** Many small regexes: fixed costs dominate. */
function manySmall(): string {
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; lines.length < MAX_RULES; i++) {
    const cost = smallWeight + base;
    if (used + cost > MAX_RULE_SET_WEIGHT) break;
    used += cost;
    lines.push(`[GET]${smallPattern(i)}`);
  }
  return lines.join('\n');
}
/** Regexes of the most expensive kind per unit, as heavy as allowed, until the budget is spent. */
function heavy(make: (n: number) => string, atomWeight: number): string {
  const lines: string[] = [];
  let left = MAX_RULE_SET_WEIGHT;
  for (let i = 0; lines.length < MAX_RULES; i++) {
    const n = Math.min(1000, Math.floor((Math.min(MAX_REGEX_WEIGHT, left) - base - 10) / atomWeight));
    if (n < 1) break;
    const source = `/r${i}/${make(n)}`;
    const cost = regexWeight(source) + base;
    if (cost > left) break;
    left -= cost;
    lines.push(source);
  }
  return lines.join('\n');
}
/** Mid-sized regexes (the case the issue reported: many lines each just under the budget's share). */
function midSized(make: (n: number) => string, atomWeight: number, lines: number): string {
  const share = Math.floor(MAX_RULE_SET_WEIGHT / lines) - base - 10;
  const n = Math.max(1, Math.min(1000, Math.floor(share / atomWeight)));
  return Array.from({ length: lines }, (_, i) => `/m${i}/${make(n)}`).join('\n');
}

const worstKind = kinds.reduce((a, b) =>
  (perUnit.find((k) => k.kind === a[0])?.usPerUnit ?? 0) >= (perUnit.find((k) => k.kind === b[0])?.usPerUnit ?? 0)
    ? a
    : b,
);
/** As many regexes as the budget allows: the tiniest, two per line (URL and a QueryParam part). */
function tiniest(): string {
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; lines.length < MAX_RULES; i++) {
    const line = `x${i}[QueryParam::q==${i}]`;
    const cost = regexWeight(`x${i}`) + regexWeight(String(i)) + 2 * base;
    if (used + cost > MAX_RULE_SET_WEIGHT) break;
    used += cost;
    lines.push(line);
  }
  return lines.join('\n');
}

const sets: [string, string][] = [
  ['many small regexes', manySmall()],
  ['the tiniest regexes, two per line', tiniest()],
  [`heaviest regexes of the worst kind (${worstKind[0]})`, heavy(worstKind[1], worstKind[2])],
  ...kinds.map(([kind, make, w]): [string, string] => [`100 mid-sized lines, ${kind}`, midSized(make, w, 100)]),
  ...kinds.map(([kind, make, w]): [string, string] => [`1,000 small lines, ${kind}`, midSized(make, w, 1000)]),
];

console.log(
  `compile-budget calibration — ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg()[0]?.toFixed(2)}`,
);
console.log(`fixed cost of one RE2 regex: ${(fixedMs * 1000).toFixed(1)} µs (${SMALL} small regexes)`);
console.log('cost per weight unit, one regex of each kind at the largest size allowed:');
for (const k of perUnit) {
  console.log(
    `  ${k.kind.padEnd(30)} weight ${String(k.weight).padStart(7)}  ${k.ms.toFixed(2).padStart(7)} ms  ${k.usPerUnit.toFixed(3)} µs/unit`,
  );
}
const suggestedBase = Math.ceil((fixedMs * 1000) / worstUsPerUnit);
const suggestedBudget = Math.floor((TARGET_MS * 1000 * 0.6) / worstUsPerUnit / 1000) * 1000;
console.log(`worst cost per unit: ${worstUsPerUnit.toFixed(3)} µs`);
console.log(
  `suggested: REGEX_BASE_WEIGHT ≈ ${suggestedBase} (fixed cost in units), MAX_RULE_SET_WEIGHT ≈ ${suggestedBudget} (60% of ${TARGET_MS} ms at the worst unit cost)`,
);
console.log(
  `current limits: MAX_RULES ${MAX_RULES}, MAX_REGEX_WEIGHT ${MAX_REGEX_WEIGHT}, MAX_RULE_SET_WEIGHT ${MAX_RULE_SET_WEIGHT}, REGEX_BASE_WEIGHT ${base}`,
);
let worstMs = 0;
for (const [name, text] of sets) {
  const result = parseLimitTo(text);
  const rules = result.ok ? result.ruleSet.rules.length : 0;
  const ms = time(() => {
    parseLimitTo(text);
  });
  worstMs = Math.max(worstMs, ms);
  console.log(
    `  ${name.padEnd(58)} ${String(rules).padStart(5)} rules${result.ok ? '' : ' (refused)'}  ${ms.toFixed(1).padStart(7)} ms`,
  );
}
console.log(
  `worst rule set allowed: ${worstMs.toFixed(1)} ms (target ≤ ${TARGET_MS} ms) ${worstMs <= TARGET_MS ? 'OK' : 'OVER'}`,
);
