import { methodBit } from './method-bits.js';
import type { MatchContext } from './part-kind.js';
import { absoluteUrlEndsWithPath } from './parts/url-regex-part.js';
import type { RequestFacts } from './request-facts.js';

/**
 * Fills `context` for one evaluation of `facts`: what several rules' parts would otherwise
 * compute again for every rule. Returns `context`.
 */
export function prepareMatch(context: MatchContext, facts: RequestFacts): MatchContext {
  context.facts = facts;
  context.methodBit = methodBit(facts.method);
  context.viaAbsolute = absoluteUrlEndsWithPath(facts);
  return context;
}
