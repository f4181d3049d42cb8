import type { FullMatcher } from '../full-matcher.js';
import type { BracketPartKind } from '../part-kind.js';
import { quote, shorten } from '../quote.js';

/**
 * `[QueryParam::NAME==REGEX]`: the query parameter NAME must be present, and every one of its
 * values must fully match REGEX.
 */
export interface QueryParamPart {
  readonly kind: BracketPartKind<QueryParamPart, 'query'>;
  readonly name: string;
  readonly pattern: FullMatcher;
}

export const QUERY_PARAM: BracketPartKind<QueryParamPart, 'query'> = {
  name: 'query',
  needsBody: false,
  keyword: 'QueryParam::',
  syntax: '[QueryParam::NAME==REGEX]',
  nameLabel: 'query parameter name',
  nameProblem: () => null,
  build: (name, pattern) => Object.freeze({ kind: QUERY_PARAM, name, pattern }),
  match(part, context) {
    const values = context.facts.query.get(part.name);
    if (values === undefined || values.length === 0) return false;
    for (let v = 0; v < values.length; v++) {
      if (!part.pattern.test(values[v] as string)) return false;
    }
    return true;
  },
  explain(part, facts) {
    const values = facts.query.get(part.name);
    if (values === undefined || values.length === 0) return `query parameter ${quote(part.name)} is missing`;
    for (const value of values) {
      if (!part.pattern.test(value)) {
        return `query parameter ${quote(part.name)} value ${quote(value)} does not match ${shorten(part.pattern.source)}`;
      }
    }
    return 'a query parameter does not match';
  },
  print(part) {
    return `[${QUERY_PARAM.keyword}${part.name}==${part.pattern.source}]`;
  },
};
