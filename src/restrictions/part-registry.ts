/**
 * The registry of rule part kinds: every pass over a rule (evaluate, explain, print, and the
 * parsing of `[Keyword::NAME==REGEX]` parts) iterates these entries instead of knowing the kinds.
 *
 * ## How to add a part kind (following `[QueryParam::NAME==REGEX]`, parts/query-param-part.ts)
 *
 * Say a header rule, `[Header::NAME==REGEX]`:
 *
 * 1. `parts/header-part.ts`: the part's data (`interface HeaderPart { kind; name; pattern }`, all
 *    the matching needs, precomputed) and its entry `HEADER: BracketPartKind<HeaderPart, 'header'>`
 *    with `name` (shown as `LineFailure.part`), `needsBody`, `keyword: 'Header::'`, `syntax`,
 *    `nameLabel`, `nameProblem`, `build`, `match`, `explain` and `print` — see `part-kind.ts` for
 *    what each must do. `match` runs per request: no allocation, no regex compilation (the line
 *    parser compiles REGEX once, within the rule set's compile budget, and hands it to `build`).
 * 2. Add `HEADER` to `PART_KINDS` below, at the place it should be checked (cheap parts first).
 *    Parsing, any-case keywords, "did you mean" hints, `needsBody`, evaluation, the reasons of a
 *    denial, `ruleToString` and `LineFailure.part` all follow from the entry.
 * 3. If the part reads something the rules do not see yet (headers), add it to `RequestFacts`
 *    and to the one builder `requestFacts` (request-facts.ts); every caller gets it from there.
 * 4. Tests beside the entry (`parts/header-part.test.ts`): parse, match, explain and print, and
 *    a round trip through `ruleSetToString`; add it to the SPEC and README rule syntax sections.
 *
 * The method list and the URL regex are kinds too, but positional (`[GET|POST]` first, then the
 * regex): `parse-line.ts` reads them and builds their parts with `methodListPart`/`urlRegexPart`.
 */
import type { BracketPartKind, PartKind, RulePart } from './part-kind.js';
import { JSON_DATA } from './parts/json-data-part.js';
import { METHOD_LIST } from './parts/method-list-part.js';
import { QUERY_PARAM } from './parts/query-param-part.js';
import { URL_REGEX } from './parts/url-regex-part.js';

/**
 * Every part kind, in the order a rule's parts are checked and printed (within a kind, parts keep
 * their written order). Kinds that need the body are checked after all others wherever they are
 * listed here, so that the body is read only when everything else already matches.
 */
export const PART_KINDS = [METHOD_LIST, URL_REGEX, QUERY_PARAM, JSON_DATA] as const;

/** The names of the part kinds: what `LineFailure.part` can be. */
export type PartName = (typeof PART_KINDS)[number]['name'];

function isBracketKind(kind: PartKind): kind is BracketPartKind {
  return 'keyword' in kind;
}

/** The kinds written `[Keyword::NAME==REGEX]`, in registry order. */
export const BRACKET_KINDS: readonly BracketPartKind[] = (PART_KINDS as readonly PartKind[]).filter(isBracketKind);

const ORDER = new Map<PartKind, number>(
  PART_KINDS.map((kind, index) => [kind, index + (kind.needsBody ? PART_KINDS.length : 0)]),
);

/** Where parts of `kind` go in a rule: sort a rule's parts by this (stable) to get check order. */
export function partOrder(kind: PartKind): number {
  return ORDER.get(kind) ?? ORDER.size * 2;
}

/** Parts in check order: by `partOrder` of their kind, in written order within a kind. */
export function inCheckOrder<P extends RulePart>(parts: readonly P[]): P[] {
  return [...parts].sort((a, b) => partOrder(a.kind) - partOrder(b.kind));
}

/**
 * The syntax of every `[Keyword::…]` kind for messages.
 *
 * @example
 * bracketSyntaxList() // '[QueryParam::NAME==REGEX] and [JsonData::NODE==REGEX]'
 */
export function bracketSyntaxList(): string {
  const all = BRACKET_KINDS.map((kind) => kind.syntax);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}
