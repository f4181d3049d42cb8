import type { z } from 'zod/v4';
import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';
import type { EndpointContract } from './endpoint-contract.js';
import { requireObject, unknownFieldsMessage } from './request-body.js';

type Issue = z.core.$ZodIssue;

/**
 * A message for an issue whose schema gave none, naming the field: `id must be a string`,
 * `auditLog must be true or false`, `give user at most once` (a query parameter repeated).
 */
function defaultMessage(issue: z.core.$ZodRawIssue): string {
  const field = issue.path?.map(String).join('.') || 'the value';
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `${field} is required`;
    if (Array.isArray(issue.input) && issue.expected !== 'array') return `give ${field} at most once`;
    if (issue.expected === 'boolean') return `${field} must be true or false`;
    if (issue.expected === 'int' || issue.expected === 'number') return `${field} must be a whole number`;
    return `${field} must be a ${issue.expected}`;
  }
  return `${field} is invalid`;
}

function fail(issues: readonly Issue[]): HttpError {
  const issue = issues[0];
  return new HttpError('invalid_input', issue === undefined ? 'invalid request' : issue.message);
}

/**
 * The query as the contracts see it: a parameter given once is a string; repeated, its last value
 * (`'last'`) or an array, which a string schema refuses with `give … at most once`.
 */
export function queryObject(
  query: ReadonlyMap<string, readonly string[]>,
  repeated: 'last' | 'refuse' = 'refuse',
): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [name, values] of query) {
    if (values.length === 0) continue;
    object[name] = values.length === 1 || repeated === 'last' ? (values[values.length - 1] as string) : [...values];
  }
  return object;
}

/** The validated query of `contract`, or HttpError 400 naming the first parameter at fault. */
export function validateQuery(contract: EndpointContract, query: ReadonlyMap<string, readonly string[]>): unknown {
  if (contract.query === undefined) return {};
  const result = contract.query.safeParse(queryObject(query, contract.repeatedQuery), { error: defaultMessage });
  if (!result.success) throw fail(result.error.issues);
  return result.data;
}

/**
 * The validated body of `contract`, checked in the order a person fixes a request: it must be a
 * JSON object (400); with no unknown fields (400); the contract's rule across fields (400);
 * fields only administrators may send (403 for others, whatever their values); then each field's
 * value, in the schema's order (400).
 */
export function validateBody(contract: EndpointContract, body: unknown, actor: User): unknown {
  if (contract.body === undefined) return undefined;
  const fields = requireObject(body);
  const result = contract.body.safeParse(fields, { error: defaultMessage });
  const issues = result.success ? [] : result.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown !== undefined) throw new HttpError('invalid_input', unknownFieldsMessage(unknown.keys));
  const broken = contract.bodyRule?.(fields) ?? null;
  if (broken !== null) throw new HttpError('invalid_input', broken);
  const adminOnly = contract.adminOnly;
  if (adminOnly !== undefined && !actor.admin && adminOnly.fields.some((field) => Object.hasOwn(fields, field))) {
    throw new HttpError('forbidden', adminOnly.message);
  }
  if (!result.success) throw fail(issues);
  return result.data;
}
