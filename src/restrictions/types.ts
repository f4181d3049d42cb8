/**
 * Types of the limitTo language: a RuleSet is parsed once from text and evaluated against
 * many requests. Everything here is plain data plus compiled RE2 matchers; nothing does I/O.
 */
import type { RulePart } from './part-kind.js';
import type { PartName } from './part-registry.js';

export type { FullMatcher } from './full-matcher.js';
export type { BracketPartKind, MatchContext, PartKind, RulePart } from './part-kind.js';
export type { PartName } from './part-registry.js';
export type { JsonDataPart } from './parts/json-data-part.js';
export type { MethodListPart } from './parts/method-list-part.js';
export type { QueryParamPart } from './parts/query-param-part.js';
export type { UrlRegexPart } from './parts/url-regex-part.js';
export type { CanonicalRequestView, EvaluatedBody, RequestFacts } from './request-facts.js';

export interface Rule {
  /** 1-based line number in the text it was parsed from (blank lines counted). */
  readonly line: number;
  /**
   * The parts in check order (see `PART_KINDS`): the method list when the rule has one (none:
   * any method), the URL regex, then the other parts, each kind in written order. A rule
   * matches when every part does.
   */
  readonly parts: readonly RulePart[];
}

export interface RuleSet {
  /** Empty means unrestricted: every request to a supported endpoint is allowed. */
  readonly rules: readonly Rule[];
  /** True when some rule has a part that needs the body (a JsonData part: the body may have to be read). */
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

/** The kind of the part that failed: `method`, `url`, `query`, `json` (the registry's names). */
export type FailedPart = PartName;

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
      /** True when the body was not given and a part that needs it could still allow the request. */
      readonly needsBody: boolean;
      /** One entry per rule, in order. */
      readonly failures: readonly LineFailure[];
    };
