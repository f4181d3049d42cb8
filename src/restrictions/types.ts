/**
 * Types of the limitTo language: a RuleSet is parsed once from text and evaluated against
 * many requests. Everything here is plain data plus compiled RE2 matchers; nothing does I/O.
 */

/** A compiled, full-match, linear-time regular expression. */
export interface FullMatcher {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** True when the whole input matches the pattern. */
  test(input: string): boolean;
}

export interface QueryParamPart {
  readonly kind: 'query';
  readonly name: string;
  readonly pattern: FullMatcher;
}

export interface JsonDataPart {
  readonly kind: 'json';
  /** The node as written (`space.key`). */
  readonly node: string;
  /** The node split on dots (`['space', 'key']`). */
  readonly path: readonly string[];
  readonly pattern: FullMatcher;
}

export interface Rule {
  /** 1-based line number in the text it was parsed from (blank lines counted). */
  readonly line: number;
  /** Allowed methods, upper case; `null` means any method. */
  readonly methods: ReadonlySet<string> | null;
  readonly url: FullMatcher;
  readonly query: readonly QueryParamPart[];
  readonly json: readonly JsonDataPart[];
}

export interface RuleSet {
  /** Empty means unrestricted: every request to a supported endpoint is allowed. */
  readonly rules: readonly Rule[];
  /** True when some rule has a JsonData part (the body may have to be read). */
  readonly needsBody: boolean;
}

export interface ParseError {
  readonly line: number;
  readonly column: number;
  /** Full message in words, starting with `line L, column C: `. */
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly ruleSet: RuleSet }
  | { readonly ok: false; readonly error: ParseError };

/**
 * The body as the evaluator sees it.
 * - `undefined`: not read (yet). Evaluation then answers `needsBody` where a JsonData part decides.
 * - `{ kind: 'json', value }`: strictly parsed JSON (any JSON value; only objects can match).
 * - `{ kind: 'none' }`: read, and there was no body.
 */
export type EvaluatedBody =
  | {
      readonly kind: 'json';
      readonly value: unknown;
      /**
       * The source text of numbers JavaScript would write otherwise (`1e2`, `9007199254740993`):
       * container → key or index → text, as the strict parser reports it. Without it a number
       * is matched as `String(value)`.
       */
      readonly numberText?: JsonNumberSources | null;
    }
  | { readonly kind: 'none' };

/** Where the source text of a JSON number is (a `WeakMap` from the strict parser fits). */
export interface JsonNumberSources {
  get(container: object): ReadonlyMap<string | number, string> | undefined;
}

/** What the evaluator looks at: a view of the canonical request. */
export interface RequestFacts {
  /** Upper-case method. */
  readonly method: string;
  /** Canonical path, e.g. `/rest/api/space/EXT` (no query). */
  readonly path: string;
  /** Public base URL + canonical path, e.g. `https://wiki.example.com/rest/api/space/EXT`; may equal path when no public URL is known. */
  readonly absoluteUrl: string;
  /** Decoded query: name → every value in order. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly body?: EvaluatedBody;
}

export type FailedPart = 'method' | 'url' | 'query' | 'json';

export interface LineFailure {
  readonly line: number;
  readonly part: FailedPart;
  /** Why, in words: `method GET is not in [POST]`, `query parameter "spaceKey" is missing`, … */
  readonly reason: string;
}

export type Verdict =
  | { readonly allowed: true /** matched line, 0 when the rule set is empty */; readonly line: number }
  | {
      readonly allowed: false;
      /** True when the body was not given and a JsonData part could still allow the request. */
      readonly needsBody: boolean;
      /** One entry per rule, in order. */
      readonly failures: readonly LineFailure[];
    };
