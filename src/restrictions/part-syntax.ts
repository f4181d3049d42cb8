/** Recognising the `[Keyword::…]` parts of a rule line (every bracket kind of the registry). */
import type { BracketPartKind } from './part-kind.js';
import { BRACKET_KINDS, bracketSyntaxList } from './part-registry.js';

/**
 * The bracket part kind whose keyword comes right after the `[` at `i` (case-insensitive), or null.
 *
 * @example
 * partKeywordAt('.*[queryparam::a==b]', 2) // QUERY_PARAM
 */
export function partKeywordAt(text: string, i: number): BracketPartKind | null {
  if (text[i] !== '[') return null;
  for (const part of BRACKET_KINDS) {
    const candidate = text.slice(i + 1, i + 1 + part.keyword.length);
    if (candidate.length === part.keyword.length && candidate.toLowerCase() === part.keyword.toLowerCase()) return part;
  }
  return null;
}

/** `[Word::` or `[Word:…==` — shaped like a part, whatever the word (bounded, so never slow). */
const PART_LIKE = /^\[([A-Za-z][A-Za-z0-9_-]{2,40})[ \t]*(::|:(?=[^\]]{0,200}==))/;
/** How much text `PART_LIKE` can look at. */
const PART_LIKE_REACH = 260;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * When the `[` at `i` starts something shaped like a part that is not a known one
 * (`[QueryParm::…`, `[QueryParam:x==y]`, `[Header::…`), the reason it is refused; else null.
 *
 * @example
 * unknownPartAt('[QueryParm::a==b]', 0)
 * // 'unknown part "[QueryParm::…" — did you mean [QueryParam::NAME==REGEX]?'
 */
export function unknownPartAt(text: string, i: number): string | null {
  if (partKeywordAt(text, i) !== null) return null;
  const shape = PART_LIKE.exec(text.slice(i, i + PART_LIKE_REACH));
  if (shape === null) return null;
  const word = (shape[1] as string).toLowerCase();
  const ranked = BRACKET_KINDS.map((part) => ({
    part,
    distance: editDistance(word, part.keyword.slice(0, -2).toLowerCase()),
  }));
  ranked.sort((a, b) => a.distance - b.distance);
  const best = ranked[0] as { part: BracketPartKind; distance: number };
  const hint = best.distance <= 3 ? `did you mean ${best.part.syntax}?` : `the parts are ${bracketSyntaxList()}`;
  return `unknown part "${shape[0]}…" — ${hint}`;
}
