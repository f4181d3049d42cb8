/**
 * What a kind of rule part is: the contract every entry of the registry (`part-registry.ts`)
 * fulfils. A rule is its line number and its parts; each part points at its kind, and every pass
 * (evaluate, explain, print, parse of `[Keyword::…]` parts) asks the kind instead of knowing it.
 */
import type { FullMatcher } from './full-matcher.js';
import type { RequestFacts } from './request-facts.js';

/**
 * One evaluation's view of the request: the facts plus what is derived from them once per
 * evaluation rather than once per rule. A parsed rule set keeps one and refills it for every
 * evaluation (see `ParsedRuleSet`), so matching allocates nothing. A kind that would otherwise
 * recompute something per rule adds a field here and fills it in `prepareMatch` (match-context.ts).
 */
export interface MatchContext {
  facts: RequestFacts;
  /** `methodBit(facts.method)`: 0 for a method without a bit. */
  methodBit: number;
  /** `absoluteUrlEndsWithPath(facts)`. */
  viaAbsolute: boolean;
}

/** A part of a rule, as its kind built it; `kind` decides how it matches, explains and prints. */
export interface RulePart {
  readonly kind: PartKind;
}

/**
 * A kind of rule part. Methods take the kind's own part type; they are called only with parts
 * that this kind built.
 */
export interface PartKind<P extends RulePart = RulePart, N extends string = string> {
  /** The name of the part in a line failure (`LineFailure.part`): `method`, `url`, `query`, … */
  readonly name: N;
  /**
   * True when matching reads the body. Such parts are checked after all others; while the body
   * has not been read, `match` is not called and the rule answers "needs the body" instead.
   */
  readonly needsBody: boolean;
  /**
   * True when the request satisfies the part. On the hot path: no allocation, no regex
   * compilation, work bounded by the part and the request (precompute in the part instead).
   */
  match(part: P, context: MatchContext): boolean;
  /**
   * Why the part does not match, in words, shown to people (403 messages, CLI, page): quote what
   * came from the request with `quote`/`shorten`. Called only when `match` was false, or, for a
   * `needsBody` kind, when the body has not been read.
   */
  explain(part: P, facts: RequestFacts): string;
  /** The part as normalised limitTo text; parsing it back gives the same part. */
  print(part: P): string;
}

/**
 * A kind written `[Keyword::NAME==REGEX]` after the URL regex. The line parser reads the
 * brackets, the name and the regex (compiled within the rule set's budget) for every such kind,
 * then asks the kind to check the name and build the part.
 */
export interface BracketPartKind<P extends RulePart = RulePart, N extends string = string> extends PartKind<P, N> {
  /** As written in normalised text, any case when parsed: `QueryParam::`. */
  readonly keyword: string;
  /** The syntax shown in messages: `[QueryParam::NAME==REGEX]`. */
  readonly syntax: string;
  /** What NAME is called in messages: `query parameter name`, `JSON node`. */
  readonly nameLabel: string;
  /** Why a non-empty NAME without blanks around it is refused, or null when it is fine. */
  nameProblem(name: string): string | null;
  /** The part for NAME and its compiled REGEX. */
  build(name: string, pattern: FullMatcher): P;
}
