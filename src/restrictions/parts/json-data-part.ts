import type { FullMatcher } from '../full-matcher.js';
import { explainJsonNode, isJsonObject, jsonNodeMatches } from '../json-node.js';
import type { BracketPartKind, MatchContext } from '../part-kind.js';
import { quote } from '../quote.js';
import type { RequestFacts } from '../request-facts.js';

/**
 * `[JsonData::NODE==REGEX]`: the JSON body must be an object whose NODE (a key or a dotted path)
 * exists with a string, number or boolean value that fully matches REGEX (see `json-node.ts`).
 * It needs the body: the gateway reads it only when such a part could allow the request.
 */
export interface JsonDataPart {
  readonly kind: BracketPartKind<JsonDataPart, 'json'>;
  /** The node as written (`space.key`). */
  readonly node: string;
  /** The node split on dots (`['space', 'key']`). */
  readonly path: readonly string[];
  readonly pattern: FullMatcher;
}

/** The entry (a class, so that V8 can inline `match` where rules are checked). */
class JsonDataKind implements BracketPartKind<JsonDataPart, 'json'> {
  readonly name = 'json' as const;
  readonly needsBody = true;
  readonly keyword = 'JsonData::';
  readonly syntax = '[JsonData::NODE==REGEX]';
  readonly nameLabel = 'JSON node';

  nameProblem(node: string): string | null {
    return node.split('.').some((key) => key === '')
      ? `the JSON node ${quote(node)} is not a key or a dotted path such as space.key`
      : null;
  }

  build(node: string, pattern: FullMatcher): JsonDataPart {
    return Object.freeze({ kind: this, node, path: Object.freeze(node.split('.')), pattern });
  }

  match(part: JsonDataPart, context: MatchContext): boolean {
    const body = context.facts.body;
    return (
      body?.kind === 'json' &&
      isJsonObject(body.value) &&
      jsonNodeMatches(body.value, part.path, part.pattern, body.numberText ?? null)
    );
  }

  explain(part: JsonDataPart, facts: RequestFacts): string {
    const body = facts.body;
    if (body === undefined) return 'the body has not been read yet (JsonData parts need it)';
    if (body.kind === 'none') return 'the request has no body; JsonData parts need a JSON object';
    if (!isJsonObject(body.value)) return 'body is not a JSON object';
    return (
      explainJsonNode(body.value, part.path, part.pattern, body.numberText ?? null) ?? 'a JSON node does not match'
    );
  }

  print(part: JsonDataPart): string {
    return `[${this.keyword}${part.node}==${part.pattern.source}]`;
  }
}

export const JSON_DATA: BracketPartKind<JsonDataPart, 'json'> = new JsonDataKind();
