import type { FullMatcher, StrategyMatcher } from '../full-matcher.js';
import type { MatchContext, PartKind } from '../part-kind.js';
import { shorten } from '../quote.js';
import type { RequestFacts } from '../request-facts.js';

/**
 * The URL regex every rule has (right after the method list): it must fully match the canonical
 * path or the canonical absolute URL (public URL + path).
 */
export interface UrlRegexPart {
  readonly kind: PartKind<UrlRegexPart, 'url'>;
  readonly pattern: FullMatcher;
  /** The matcher says a match on the path implies one on public URL + path (see `StrategyMatcher`). */
  readonly anyPrefix: boolean;
}

/**
 * True when `facts.absoluteUrl` is some line-feed-free text followed by `facts.path` (as the
 * canonical request builds it), so that a `.*`-led glob need only be tested on the absolute URL.
 * Computed once per evaluation (`MatchContext.viaAbsolute`).
 */
export function absoluteUrlEndsWithPath(facts: RequestFacts): boolean {
  const absolute = facts.absoluteUrl;
  const origin = absolute.length - facts.path.length;
  if (origin <= 0 || !absolute.endsWith(facts.path)) return false;
  const lineFeed = absolute.indexOf('\n');
  return lineFeed < 0 || lineFeed >= origin;
}

/** The entry (a class, so that V8 can inline `match` where rules are checked). */
class UrlRegexKind implements PartKind<UrlRegexPart, 'url'> {
  readonly name = 'url' as const;
  readonly needsBody = false;
  match(part: UrlRegexPart, context: MatchContext): boolean {
    const facts = context.facts;
    if (context.viaAbsolute && part.anyPrefix) return part.pattern.test(facts.absoluteUrl);
    if (part.pattern.test(facts.path)) return true;
    return facts.absoluteUrl !== facts.path && part.pattern.test(facts.absoluteUrl);
  }
  explain(part: UrlRegexPart, facts: RequestFacts): string {
    return `URL ${shorten(facts.path)} does not match ${shorten(part.pattern.source)}`;
  }
  print(part: UrlRegexPart): string {
    return part.pattern.source;
  }
}

export const URL_REGEX: PartKind<UrlRegexPart, 'url'> = new UrlRegexKind();

/** The URL part for a compiled URL regex. */
export function urlRegexPart(pattern: FullMatcher): UrlRegexPart {
  return Object.freeze({
    kind: URL_REGEX,
    pattern,
    anyPrefix: (pattern as Partial<StrategyMatcher>).anyPrefix === true,
  });
}
