import type { FullMatcher } from '../full-matcher.js';
import type { BracketPartKind, MatchContext } from '../part-kind.js';
import { quote, shorten } from '../quote.js';
import type { RequestFacts } from '../request-facts.js';

/**
 * `[QueryParam::NAME==REGEX]`: the query parameter NAME must be present, and every one of its
 * values must fully match REGEX.
 */
export interface QueryParamPart {
  readonly kind: BracketPartKind<QueryParamPart, 'query'>;
  readonly name: string;
  readonly pattern: FullMatcher;
}

/** The entry (a class, so that V8 can inline `match` where rules are checked). */
class QueryParamKind implements BracketPartKind<QueryParamPart, 'query'> {
  readonly name = 'query' as const;
  readonly needsBody = false;
  readonly keyword = 'QueryParam::';
  readonly syntax = '[QueryParam::NAME==REGEX]';
  readonly nameLabel = 'query parameter name';

  nameProblem(): string | null {
    return null;
  }

  build(name: string, pattern: FullMatcher): QueryParamPart {
    return Object.freeze({ kind: this, name, pattern });
  }

  match(part: QueryParamPart, context: MatchContext): boolean {
    const values = context.facts.query.get(part.name);
    if (values === undefined || values.length === 0) return false;
    for (let v = 0; v < values.length; v++) {
      if (!part.pattern.test(values[v] as string)) return false;
    }
    return true;
  }

  explain(part: QueryParamPart, facts: RequestFacts): string {
    const values = facts.query.get(part.name);
    if (values === undefined || values.length === 0) return `query parameter ${quote(part.name)} is missing`;
    for (const value of values) {
      if (!part.pattern.test(value)) {
        return `query parameter ${quote(part.name)} value ${quote(value)} does not match ${shorten(part.pattern.source)}`;
      }
    }
    return 'a query parameter does not match';
  }

  print(part: QueryParamPart): string {
    return `[${this.keyword}${part.name}==${part.pattern.source}]`;
  }
}

export const QUERY_PARAM: BracketPartKind<QueryParamPart, 'query'> = new QueryParamKind();
