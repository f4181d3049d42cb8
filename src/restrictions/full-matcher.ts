import RE2 from 're2';
import { MAX_REGEX_LENGTH, MAX_REGEX_WEIGHT } from './limits.js';
import { analysePattern } from './pattern-shape.js';
import { explainRegexError } from './regex-errors.js';
import { regexWeight } from './regex-weight.js';

/** A compiled, full-match, linear-time regular expression. */
export interface FullMatcher {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** True when the whole input matches the pattern. */
  test(input: string): boolean;
}

/** How a matcher decides; `re2` is the general case, the others are exact shortcuts. */
export type MatchStrategy = 'literal' | 'glob' | 're2';

/** A `FullMatcher` that also says how it decides (for tests and the benchmark). */
export interface StrategyMatcher extends FullMatcher {
  readonly strategy: MatchStrategy;
  /**
   * True when the pattern is a glob that starts with `.*` (and so has no assertions): then if it
   * matches a string it also matches any string with a line-feed-free text before it, so a match
   * on the path implies a match on public URL + path, and testing the latter alone is enough.
   */
  readonly anyPrefix: boolean;
}

export type CompileResult =
  | { readonly ok: true; readonly matcher: StrategyMatcher }
  | {
      readonly ok: false;
      readonly reason: string;
      /** 0-based, inside the pattern. */
      readonly offset: number;
    };

export interface CompileOptions {
  /** Use the exact shortcuts for literal and `.*`-only patterns and the literal pre-checks (default true). */
  readonly fastPaths?: boolean;
}

const QUOTE_NOT_SUPPORTED =
  '\\Q…\\E quoting is not supported; escape each special character with \\ instead (for example \\. or \\?)';

/** A pattern with no metacharacters: a full match is string equality. */
class LiteralMatcher implements StrategyMatcher {
  readonly strategy = 'literal';
  readonly anyPrefix = false;
  constructor(
    readonly source: string,
    private readonly literal: string,
  ) {}

  test(input: string): boolean {
    return input === this.literal;
  }
}

/**
 * Literal ASCII runs joined by `.*`, maybe with an optional last character (see `PatternShape`):
 * no RE2 call at all. The literals are checked first (most inputs fail there), the line feed
 * that `.` cannot match last.
 */
class GlobMatcher implements StrategyMatcher {
  readonly strategy = 'glob';
  readonly anyPrefix: boolean;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly middles: readonly string[];
  private readonly minLength: number;
  /** The literal of a `.*LITERAL.*` pattern (the most common shape), else null. */
  private readonly contains: string | null;
  /** The UTF-16 code of an optional last character (`/` of `.*\/content/?`), or -1. */
  private readonly optionalLast: number;
  /** False for a literal with an optional last character (`pages?`): no `.*` at all. */
  private readonly hasGap: boolean;

  constructor(
    readonly source: string,
    segments: readonly string[],
    optionalLast: string | null,
  ) {
    this.prefix = segments[0] as string;
    this.suffix = segments[segments.length - 1] as string;
    this.middles = segments.slice(1, -1).filter((segment) => segment !== '');
    this.minLength = segments.reduce((sum, segment) => sum + segment.length, 0);
    this.hasGap = segments.length > 1;
    this.anyPrefix = this.hasGap && this.prefix === '';
    this.optionalLast = optionalLast === null ? -1 : optionalLast.charCodeAt(0);
    const onlyMiddle = this.prefix === '' && this.suffix === '' && this.middles.length === 1 && optionalLast === null;
    this.contains = onlyMiddle ? (this.middles[0] as string) : null;
  }

  test(input: string): boolean {
    const contains = this.contains;
    if (contains !== null) return input.includes(contains) && input.indexOf('\n') === -1;
    const n = input.length;
    if (this.matchesUpTo(input, n)) return true;
    return this.optionalLast >= 0 && input.charCodeAt(n - 1) === this.optionalLast && this.matchesUpTo(input, n - 1);
  }

  /**
   * Does `input[0, n)` match the glob without the optional character? (`input[n, …)` is at most
   * that character, never a line feed, so the line-feed check may look at the whole input.)
   */
  private matchesUpTo(input: string, n: number): boolean {
    if (!this.hasGap) return n === this.prefix.length && input.startsWith(this.prefix);
    if (n < this.minLength) return false;
    if (this.prefix !== '' && !input.startsWith(this.prefix)) return false;
    if (this.suffix !== '' && !input.endsWith(this.suffix, n)) return false;
    const middles = this.middles;
    const end = n - this.suffix.length;
    let at = this.prefix.length;
    for (let i = 0; i < middles.length; i++) {
      const middle = middles[i] as string;
      const found = input.indexOf(middle, at);
      if (found < 0 || found + middle.length > end) return false;
      at = found + middle.length;
    }
    return input.indexOf('\n') === -1;
  }
}

/** RE2 full match, after cheap necessary-condition checks on literal runs. */
class Re2Matcher implements StrategyMatcher {
  readonly strategy = 're2';
  readonly anyPrefix = false;
  constructor(
    readonly source: string,
    private readonly re2: RE2,
    private readonly prefix: string,
    private readonly suffix: string,
    private readonly required: readonly string[],
  ) {}

  test(input: string): boolean {
    if (!input.startsWith(this.prefix) || !input.endsWith(this.suffix)) return false;
    const required = this.required;
    for (let i = 0; i < required.length; i++) {
      if (!input.includes(required[i] as string)) return false;
    }
    return this.re2.test(input);
  }
}

function syntaxProblem(err: unknown, pattern: string): CompileResult {
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, ...explainRegexError(message, pattern) };
}

function tooCostly(weight: number): string {
  return (
    `the regex would take too long to compile (weight ${weight.toLocaleString('en')}, at most ` +
    `${MAX_REGEX_WEIGHT.toLocaleString('en')}): repeating \\p{…} classes, . or [^…] many times with {n,m} ` +
    'makes it huge; use + or * instead'
  );
}

/** Offset of an unescaped `\Q` in `source`, or -1. */
function quoteOffset(source: string): number {
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      if (source[i + 1] === 'Q') return i;
      i++;
    }
  }
  return -1;
}

/**
 * RE2 anchored to the whole input. The pattern is compiled alone first, so that unbalanced
 * parentheses (`a)|(b`) cannot escape the anchoring group of `^(?:pattern)$`.
 */
function compileAnchored(source: string): RE2 | CompileResult {
  try {
    new RE2(source);
    return new RE2(`^(?:${source})$`);
  } catch (err) {
    return syntaxProblem(err, source);
  }
}

/**
 * Compiles a user's regular expression as a **full** match (the whole input must match, also
 * for `a|b`), in linear time with RE2. Syntax RE2 does not have (backreferences, look-around)
 * is an error with a reason in words — never a fallback to V8's backtracking RegExp. `\Q…\E`
 * is refused too (the binding mistranslates `/` inside it), and so is a pattern whose compile
 * weight (`regexWeight`) exceeds `MAX_REGEX_WEIGHT` — checked before RE2 sees it. Patterns
 * that are plain literals, or literals joined by `.*`, are decided without calling RE2 (same
 * answers, several times faster); others get literal pre-checks before RE2.
 *
 * @example
 * const result = compileFullMatcher('.*\/rest/api/space.*');
 * result.ok && result.matcher.test('/rest/api/space/EXT') // true
 * compileFullMatcher('(a)\\1') // { ok: false, reason: 'backreference \\1 is not supported: …', offset: 3 }
 */
export function compileFullMatcher(source: string, options: CompileOptions = {}): CompileResult {
  if (source.length > MAX_REGEX_LENGTH) {
    return {
      ok: false,
      reason: `the regex is ${source.length.toLocaleString('en')} characters long; at most ${MAX_REGEX_LENGTH.toLocaleString('en')} are allowed`,
      offset: 0,
    };
  }
  const weight = regexWeight(source);
  if (weight > MAX_REGEX_WEIGHT) return { ok: false, reason: tooCostly(weight), offset: 0 };
  const quote = quoteOffset(source);
  if (quote >= 0) {
    // The re2 binding rewrites every `/` as `\/`, also inside `\Q…\E`, where it then means a backslash.
    return { ok: false, reason: QUOTE_NOT_SUPPORTED, offset: quote };
  }
  const re2 = compileAnchored(source);
  if (!(re2 instanceof RE2)) return re2;
  if (options.fastPaths === false) return { ok: true, matcher: new Re2Matcher(source, re2, '', '', []) };

  const shape = analysePattern(source);
  if (shape.kind === 'glob') {
    const matcher =
      shape.segments.length === 1 && shape.optionalLast === null
        ? new LiteralMatcher(source, shape.segments[0] as string)
        : new GlobMatcher(source, shape.segments, shape.optionalLast);
    return { ok: true, matcher };
  }
  return { ok: true, matcher: new Re2Matcher(source, re2, shape.prefix, shape.suffix, shape.required) };
}
