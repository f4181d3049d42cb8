/** Helpers for the restriction engine's tests: parse-or-fail, request facts, plain views. */
import assert from 'node:assert/strict';
import type { FullMatcher } from './full-matcher.js';
import { parseLimitTo } from './parse.js';
import { JSON_DATA, type JsonDataPart } from './parts/json-data-part.js';
import { METHOD_LIST, type MethodListPart } from './parts/method-list-part.js';
import { QUERY_PARAM, type QueryParamPart } from './parts/query-param-part.js';
import { URL_REGEX, type UrlRegexPart } from './parts/url-regex-part.js';
import type { EvaluatedBody, ParseError, RequestFacts, Rule, RuleSet, Verdict } from './types.js';

export const PUBLIC_URL = 'https://wiki.example.com';

/** Parses `text`, failing the test with the parse error when it does not parse. */
export function mustParse(text: string): RuleSet {
  const result = parseLimitTo(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.ruleSet;
}

/** The parse error of `text`, failing the test when it parses. */
export function parseErrorOf(text: string): ParseError {
  const result = parseLimitTo(text);
  if (result.ok) assert.fail(`expected ${JSON.stringify(text)} not to parse`);
  return result.error;
}

export interface FactsInput {
  /** Query as an object; an array value is a repeated parameter. */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  /** A JSON value, `'none'` for a request without body; absent = body not read. */
  readonly body?: unknown;
  /** Public base URL; `null` means none (absoluteUrl = path). */
  readonly publicUrl?: string | null;
}

/** Request facts as the gateway builds them (method upper-cased, absoluteUrl = public URL + path). */
export function facts(method: string, path: string, input: FactsInput = {}): RequestFacts {
  const query = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(input.query ?? {}))
    query.set(name, typeof value === 'string' ? [value] : value);
  const publicUrl = input.publicUrl === undefined ? PUBLIC_URL : input.publicUrl;
  let body: EvaluatedBody | undefined;
  if (input.body === 'none') body = { kind: 'none' };
  else if ('body' in input) body = { kind: 'json', value: input.body };
  return {
    method: method.toUpperCase(),
    path,
    absoluteUrl: publicUrl === null ? path : publicUrl + path,
    query,
    ...(body === undefined ? {} : { body }),
  };
}

/** The allowing line, or `false` when denied. */
export function allowedLine(verdict: Verdict): number | false {
  return verdict.allowed ? verdict.line : false;
}

/** A rule's parts by kind: methods (`null`: any), the URL regex, the QueryParam and JsonData parts. */
export interface RuleView {
  readonly line: number;
  readonly methods: ReadonlySet<string> | null;
  readonly url: FullMatcher;
  readonly query: readonly QueryParamPart[];
  readonly json: readonly JsonDataPart[];
}

/** The parts of `rule` grouped by kind (each kind in rule order), failing on an unknown kind. */
export function ruleView(rule: Rule): RuleView {
  const methods = rule.parts.filter((part): part is MethodListPart => part.kind === METHOD_LIST);
  const url = rule.parts.filter((part): part is UrlRegexPart => part.kind === URL_REGEX);
  const query = rule.parts.filter((part): part is QueryParamPart => part.kind === QUERY_PARAM);
  const json = rule.parts.filter((part): part is JsonDataPart => part.kind === JSON_DATA);
  assert.equal(methods.length + url.length + query.length + json.length, rule.parts.length, 'a part of no known kind');
  assert.ok(methods.length <= 1 && url.length === 1, 'at most one method list and exactly one URL regex');
  return {
    line: rule.line,
    methods: methods[0]?.methods ?? null,
    url: (url[0] as UrlRegexPart).pattern,
    query,
    json,
  };
}

/** A rule set as plain data (pattern sources instead of matchers), for structural comparison. */
export function plainRules(ruleSet: RuleSet, withLines = true) {
  return ruleSet.rules.map(ruleView).map((rule) => ({
    ...(withLines ? { line: rule.line } : {}),
    methods: rule.methods === null ? null : [...rule.methods],
    url: rule.url.source,
    query: rule.query.map((part) => ({ name: part.name, regex: part.pattern.source })),
    json: rule.json.map((part) => ({ node: part.node, path: [...part.path], regex: part.pattern.source })),
  }));
}
