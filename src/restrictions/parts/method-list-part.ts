import { methodMask } from '../method-bits.js';
import type { MatchContext, PartKind } from '../part-kind.js';
import { shorten } from '../quote.js';
import type { RequestFacts } from '../request-facts.js';

/**
 * The optional `[METHODS]` at the start of a rule (read by `readMethodList`): the request's
 * method must be one of them. A rule without one allows any method (it has no such part).
 */
export interface MethodListPart {
  readonly kind: PartKind<MethodListPart, 'method'>;
  /** Upper case, without duplicates, in written order. */
  readonly methods: ReadonlySet<string>;
  /** `methodMask(methods)`: a standard method is checked with one `&`. */
  readonly mask: number;
  /** The methods as shown in reasons: `POST, PUT`. */
  readonly text: string;
}

/** The entry (a class, so that V8 can inline `match` where rules are checked). */
class MethodListKind implements PartKind<MethodListPart, 'method'> {
  readonly name = 'method' as const;
  readonly needsBody = false;
  match(part: MethodListPart, context: MatchContext): boolean {
    const bit = context.methodBit;
    // A standard method has a bit, set in the mask when listed; others are looked up by name.
    if (bit !== 0) return (part.mask & bit) !== 0;
    return part.methods.has(context.facts.method);
  }
  explain(part: MethodListPart, facts: RequestFacts): string {
    return `method ${shorten(facts.method, 40)} is not one of ${part.text}`;
  }
  print(part: MethodListPart): string {
    return `[${[...part.methods].join('|')}]`;
  }
}

export const METHOD_LIST: PartKind<MethodListPart, 'method'> = new MethodListKind();

/**
 * The method part for upper-case method names.
 *
 * @example
 * methodListPart(['GET', 'PUT']) // { kind: METHOD_LIST, methods: Set { 'GET', 'PUT' }, mask: 9, text: 'GET, PUT' }
 */
export function methodListPart(methods: readonly string[]): MethodListPart {
  return Object.freeze({
    kind: METHOD_LIST,
    methods: new Set(methods),
    mask: methodMask(methods),
    text: methods.join(', '),
  });
}
