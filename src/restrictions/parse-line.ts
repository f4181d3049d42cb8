import type { CompileBudget } from './compile-budget.js';
import { isStandardMethodList, readMethodList } from './method-list.js';
import { type LineProblem, readPart } from './parse-part.js';
import type { RulePart } from './part-kind.js';
import { bracketSyntaxList, inCheckOrder } from './part-registry.js';
import { partKeywordAt, unknownPartAt } from './part-syntax.js';
import { methodListPart } from './parts/method-list-part.js';
import { urlRegexPart } from './parts/url-regex-part.js';
import { shorten } from './quote.js';

/** A rule line, parsed (without its line number). */
export interface ParsedLine {
  /** In check order (see `PART_KINDS`): the method list when there is one, the URL regex, the rest. */
  readonly parts: readonly RulePart[];
}

/** A trailing `[…]` whose content is a standard method list. */
const TRAILING_BRACKET = /\[([^[\]]*)\]$/;
const BLANK = /[ \t]/;

/**
 * Where the URL regex that starts at `start` ends: at the first `[Keyword::` of a bracket part
 * kind (any case) whose `[` is not escaped, else at the end of the line. A `[Word::` that is no
 * known part is an error rather than a character class nobody meant.
 */
function findUrlEnd(text: string, start: number): number | LineProblem {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      if (partKeywordAt(text, i) !== null) return i;
      const unknown = unknownPartAt(text, i);
      if (unknown !== null) return { offset: i, reason: unknown };
    }
    i++;
  }
  return text.length;
}

/** True when the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function methodListFirst(content: string, rest: string): string {
  const methods = content
    .split(/[|,]/)
    .map((m) => m.trim().toUpperCase())
    .join('|');
  return `the method list [${content}] must come first on the line, as in [${methods}]${shorten(rest, 40)}`;
}

/** Why the text at `i` (after the URL or a part) is not a part. */
function trailingProblem(text: string, i: number, urlSource: string): LineProblem {
  const unknown = unknownPartAt(text, i);
  if (unknown !== null) return { offset: i, reason: unknown };
  const bracket = /^\[([^[\]]*)\]/.exec(text.slice(i));
  if (bracket !== null && isStandardMethodList(bracket[1] as string)) {
    return { offset: i, reason: methodListFirst(bracket[1] as string, urlSource) };
  }
  return {
    offset: i,
    reason: `unexpected text "${shorten(text.slice(i), 20)}" after the parts; a rule ends with parts such as ${bracketSyntaxList()}`,
  };
}

/**
 * Parses one non-blank rule line: `[METHODS]URL_REGEX[QueryParam::NAME==REGEX]…[JsonData::NODE==REGEX]…`
 * (any bracket kind of the registry). Parts may come in any order after the URL regex; blanks
 * around the URL regex and between parts are ignored (a URL has none).
 *
 * @example
 * parseRuleLine('[post].*\/rest/api/content/?[JsonData::type==page]', new CompileBudget())
 * // { parts: [{ kind: METHOD_LIST, … }, { kind: URL_REGEX, … }, { kind: JSON_DATA, node: 'type', … }] }
 * parseRuleLine('[GET]', new CompileBudget()) // { offset: 5, reason: 'the URL regex is missing after [GET]; write .* to allow any URL' }
 */
export function parseRuleLine(text: string, budget: CompileBudget): ParsedLine | LineProblem {
  const methodList = readMethodList(text);
  if (methodList.kind === 'error') return methodList;
  const methods = methodList.kind === 'methods' ? methodList.methods : null;
  let urlStart = methodList.kind === 'methods' ? methodList.end : 0;
  while (BLANK.test(text[urlStart] ?? '')) urlStart++;

  const urlEnd = findUrlEnd(text, urlStart);
  if (typeof urlEnd !== 'number') return urlEnd;
  const urlSource = text.slice(urlStart, urlEnd).trimEnd();
  if (urlSource === '') {
    const after = methods === null ? '' : ` after ${text.slice(0, urlStart).trimEnd()}`;
    return { offset: urlStart, reason: `the URL regex is missing${after}; write .* to allow any URL` };
  }
  const trailing = TRAILING_BRACKET.exec(urlSource);
  if (trailing !== null && !isEscaped(urlSource, trailing.index) && isStandardMethodList(trailing[1] as string)) {
    const rest = urlSource.slice(0, trailing.index);
    return { offset: urlStart + trailing.index, reason: methodListFirst(trailing[1] as string, rest) };
  }
  const url = budget.compile(urlSource);
  if (!url.ok) return { offset: urlStart + url.offset, reason: `the URL regex: ${url.reason}` };

  const parts: RulePart[] = [];
  if (methods !== null) parts.push(methodListPart(methods));
  parts.push(urlRegexPart(url.matcher));
  let i = urlEnd;
  while (i < text.length) {
    if (BLANK.test(text[i] as string)) {
      i++;
      continue;
    }
    const keyword = partKeywordAt(text, i);
    if (keyword === null) return trailingProblem(text, i, urlSource);
    const read = readPart(text, i, keyword, budget);
    if ('reason' in read) return read;
    parts.push(read.part);
    i = read.next;
  }
  return { parts: inCheckOrder(parts) };
}
