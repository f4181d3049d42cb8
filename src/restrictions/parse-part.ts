import type { CompileBudget } from './compile-budget.js';
import type { CompileResult } from './full-matcher.js';
import type { BracketPartKind, RulePart } from './part-kind.js';
import { partKeywordAt } from './part-syntax.js';
import { quote, shorten } from './quote.js';
import { skipCharClass } from './regex-scan.js';

/** Why a line does not parse: a reason and its 0-based offset in the (trimmed) line. */
export interface LineProblem {
  readonly offset: number;
  readonly reason: string;
}

export interface PartResult {
  readonly part: RulePart;
  /** Index after the part's `]`. */
  readonly next: number;
}

/**
 * Index of the `]` that ends a part whose regex starts at `start`, bracket-aware: `\]` and a `]`
 * inside a character class (`[A-Z]`, `[]a]`, `[[:alpha:]]`) do not end it.
 * Returns -1 when the part is not closed (end of line, or the next part starts first).
 */
export function findPartEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      if (partKeywordAt(text, i) !== null) return -1;
      i = skipCharClass(text, i);
      if (i < 0) return -1;
    } else if (c === ']') {
      return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Index of the `==` that ends a part's name, or -1 (none before the line or the next part ends). */
function findNameEnd(text: string, start: number): number {
  for (let i = start; i < text.length - 1; i++) {
    if (text[i] === '=' && text[i + 1] === '=') return i;
    if (text[i] === '[' && partKeywordAt(text, i) !== null) return -1;
  }
  return -1;
}

function nameProblem(kind: BracketPartKind, name: string): string | null {
  const what = kind.nameLabel;
  if (name === '') return `the ${what} is missing; write ${kind.syntax}`;
  if (name.trim() !== name)
    return `the ${what} ${quote(name)} has spaces around it; write ${kind.syntax} without spaces around ==`;
  return kind.nameProblem(name);
}

function regexProblem(label: string, result: CompileResult & { ok: false }, regexStart: number): LineProblem {
  return { offset: regexStart + result.offset, reason: `the regex of ${label}: ${result.reason}` };
}

/**
 * Reads the part whose `[` is at `open` (its kind already recognised by its keyword): NAME (or
 * NODE), `==`, then the regex up to the closing `]`; the kind checks the name and builds the part.
 *
 * @example
 * readPart('.*[QueryParam::key==[A-Z]+]', 2, QUERY_PARAM, new CompileBudget())
 * // { part: { kind: QUERY_PARAM, name: 'key', pattern: … }, next: 27 }
 */
export function readPart(
  text: string,
  open: number,
  kind: BracketPartKind,
  budget: CompileBudget,
): PartResult | LineProblem {
  const nameStart = open + 1 + kind.keyword.length;
  const written = `[${text.slice(open + 1, nameStart)}`;
  const eq = findNameEnd(text, nameStart);
  if (eq < 0) {
    return { offset: open, reason: `the part "${shorten(text.slice(open), 30)}" has no ==; write ${kind.syntax}` };
  }
  const name = text.slice(nameStart, eq);
  const badName = nameProblem(kind, name);
  if (badName !== null) return { offset: nameStart, reason: badName };

  const label = `${written}${shorten(name, 40)}==…]`;
  const regexStart = eq + 2;
  const end = findPartEnd(text, regexStart);
  if (end < 0) {
    const hint = text.includes('[', regexStart)
      ? ' (a [ in a regex starts a character class; write \\[ for a literal [)'
      : '';
    return { offset: open, reason: `${label} is not closed: a ] is missing${hint}` };
  }
  const compiled = budget.compile(text.slice(regexStart, end));
  if (!compiled.ok) return regexProblem(label, compiled, regexStart);
  return { part: kind.build(name, compiled.matcher), next: end + 1 };
}
