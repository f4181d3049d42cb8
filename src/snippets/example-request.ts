import { canonicalFromUrl } from '../http/canonical-from-url.js';
import { DEFAULT_PROTECTED_PREFIX } from '../http/paths.js';
import { dryRunBody, evaluate, parseLimitTo, requestFacts } from '../restrictions/index.js';
import type { RulePart } from '../restrictions/part-kind.js';
import { JSON_DATA, type JsonDataPart } from '../restrictions/parts/json-data-part.js';
import { METHOD_LIST, type MethodListPart } from '../restrictions/parts/method-list-part.js';
import { QUERY_PARAM, type QueryParamPart } from '../restrictions/parts/query-param-part.js';
import { URL_REGEX, type UrlRegexPart } from '../restrictions/parts/url-regex-part.js';
import { patternExamples } from '../restrictions/pattern-example.js';
import type { Rule } from '../restrictions/types.js';

/** Where token calls go (the gateway forwards only these). */
const PROTECTED_PREFIX = DEFAULT_PROTECTED_PREFIX;
/** What an unrestricted token's snippet calls. */
export const DEFAULT_EXAMPLE_PATH = '/rest/api/space';

/** A call a snippet makes: built from a token's rules and checked with the gateway's engine. */
export interface ExampleRequest {
  readonly method: string;
  /** Canonical path, starting with `/rest/`. */
  readonly path: string;
  /** Query parameters in order (decoded). */
  readonly query: readonly (readonly [string, string])[];
  /** A JSON object for JsonData rules, or undefined for no body. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** The rule line it was built from (0: the token is unrestricted or a path was given). */
  readonly line: number;
  /** True when the token's rules allow exactly this call (the gateway's engine said so). */
  readonly allowed: boolean;
  /** Why no allowed call could be built (shown in the snippet), or null. */
  readonly problem: string | null;
}

/** Methods that cannot carry a body in `fetch` (and are odd with one anywhere). */
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

function partsOf<P extends RulePart>(rule: Rule, kind: P['kind']): P[] {
  return rule.parts.filter((part): part is P => part.kind === kind);
}

/** Sets `value` at the dotted `path` of `target`; false when another value is in the way. */
function setNode(target: Record<string, unknown>, path: readonly string[], value: string): boolean {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null) return false;
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (node[last] !== undefined) return node[last] === value;
  node[last] = value;
  return true;
}

/** The query string of `query` (percent-encoded, `?` included; '' when empty). */
export function queryString(query: ExampleRequest['query']): string {
  if (query.length === 0) return '';
  return `?${query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** The path of an example URL: itself, or what follows the public URL; null when neither starts with `/rest/`. */
function pathOf(example: string, publicUrl: string): string | null {
  const path = example.startsWith(publicUrl) ? example.slice(publicUrl.length) : example;
  return path.startsWith(PROTECTED_PREFIX) ? path : null;
}

/** True when the gateway's engine (through the gateway's canonicaliser) allows the call under `limitTo`. */
function allows(
  limitTo: string,
  call: Omit<ExampleRequest, 'line' | 'allowed' | 'problem'>,
  publicUrl: string,
): boolean {
  const parsed = parseLimitTo(limitTo);
  if (!parsed.ok) return false;
  const canonical = canonicalFromUrl(call.method, call.path + queryString(call.query), publicUrl);
  if (!canonical.ok || canonical.request.path !== call.path) return false;
  return evaluate(parsed.ruleSet, requestFacts(canonical.request, dryRunBody(call.body))).allowed;
}

/** The first example of `pattern` that `accept` takes, or null. */
function firstExample(pattern: string, accept: (example: string) => boolean): string | null {
  return patternExamples(pattern).find(accept) ?? null;
}

/** A call that `rule` allows, or why none could be built. */
function callForRule(
  limitTo: string,
  rule: Rule,
  publicUrl: string,
): Omit<ExampleRequest, 'line' | 'allowed' | 'problem'> | string {
  const jsonParts = partsOf<JsonDataPart>(rule, JSON_DATA);
  const listed = [...(partsOf<MethodListPart>(rule, METHOD_LIST)[0]?.methods ?? [])];
  const method =
    listed.length === 0
      ? jsonParts.length > 0
        ? 'POST'
        : 'GET'
      : ((jsonParts.length > 0 ? listed.find((m) => !NO_BODY_METHODS.has(m)) : undefined) ?? (listed[0] as string));

  const query: [string, string][] = [];
  for (const part of partsOf<QueryParamPart>(rule, QUERY_PARAM)) {
    const value = firstExample(part.pattern.source, (v) => part.pattern.test(v));
    if (value === null)
      return `no example value could be derived for query parameter ${part.name} (${part.pattern.source})`;
    query.push([part.name, value]);
  }

  let body: Record<string, unknown> | undefined;
  if (jsonParts.length > 0) {
    body = {};
    for (const part of jsonParts) {
      const value = firstExample(part.pattern.source, (v) => part.pattern.test(v));
      if (value === null || !setNode(body, part.path, value)) {
        return `no example value could be derived for JSON node ${part.node} (${part.pattern.source})`;
      }
    }
  }

  const url = partsOf<UrlRegexPart>(rule, URL_REGEX)[0];
  if (url === undefined) return 'the rule has no URL regex';
  for (const example of patternExamples(url.pattern.source)) {
    const path = pathOf(example, publicUrl);
    if (path === null) continue;
    const call = { method, path, query, body };
    if (allows(limitTo, call, publicUrl)) return call;
  }
  return `no example path under ${PROTECTED_PREFIX} could be derived from the URL regex ${url.pattern.source}`;
}

/**
 * The call a token's snippets make: with `path` given, that path with the first rule's method;
 * otherwise one built from the first rule that yields an allowed call — its method, a path its URL
 * regex matches, values for its QueryParam parts and a JSON body for its JsonData parts — checked
 * with the gateway's own canonicaliser and engine. When none can be built it says why.
 *
 * @example
 * exampleRequest('[POST].*\/rest/api/content [JsonData::type==page]', 'https://gate')
 * // { method: 'POST', path: '/rest/api/content', query: [], body: { type: 'page' }, line: 1, allowed: true, problem: null }
 */
export function exampleRequest(limitTo: string, publicUrl: string, path?: string): ExampleRequest {
  const parsed = parseLimitTo(limitTo);
  const rules = parsed.ok ? parsed.ruleSet.rules : [];
  if (path !== undefined) {
    const first = rules[0];
    const method =
      first === undefined ? 'GET' : ([...(partsOf<MethodListPart>(first, METHOD_LIST)[0]?.methods ?? [])][0] ?? 'GET');
    const call = { method, path, query: [], body: undefined };
    const allowed = allows(limitTo, call, publicUrl);
    return { ...call, line: 0, allowed, problem: allowed ? null : `the token's rules do not allow ${method} ${path}` };
  }
  if (rules.length === 0) {
    return {
      method: 'GET',
      path: DEFAULT_EXAMPLE_PATH,
      query: [],
      body: undefined,
      line: 0,
      allowed: true,
      problem: null,
    };
  }
  let firstProblem: string | null = null;
  for (const rule of rules) {
    const call = callForRule(limitTo, rule, publicUrl);
    if (typeof call !== 'string') return { ...call, line: rule.line, allowed: true, problem: null };
    firstProblem ??= `line ${rule.line}: ${call}`;
  }
  return {
    method: 'GET',
    path: DEFAULT_EXAMPLE_PATH,
    query: [],
    body: undefined,
    line: 0,
    allowed: false,
    problem: `no call the token allows could be built (${firstProblem}); change the path, query and body to one its rules allow`,
  };
}
