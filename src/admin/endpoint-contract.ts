/**
 * The declaration of one admin endpoint's shape: method, path, query, body and responses, as zod
 * schemas. From it come the request validation (`validate-request.ts`), the OpenAPI document
 * (`openapi.ts`) and the browser's types (`page/ui/types.ts`). This file and every
 * `*-contract.ts` import only zod and each other, so the browser can import their types.
 *
 * ## Adding an endpoint (copy `delete-contract.ts` + `delete-endpoint.ts`)
 *
 * 1. `src/admin/<name>-contract.ts`: `export const <name>Contract = defineContract({ method, path:
 *    \`${ADMIN_BASE}/<name>\`, summary, query?, body?, responses: { 200: { description, schema } },
 *    errors: [400, 401, …] })`. Give each field an `error` message that names the field (the page
 *    shows it beside the field): `z.string({ error: 'id is required' })`.
 * 2. `src/admin/<name>-endpoint.ts`: `export const <name>Endpoint = defineEndpoint(<name>Contract).handledBy(
 *    async ({ query, body, actor, recordAdmin }, deps: TokenToolsDeps) => ({ status: 200, json: { … } }))` — `query` and
 *    `body` arrive validated and typed; the answer is type-checked against the 200 schema.
 * 3. Add it to `adminEndpoints` in `admin-endpoints.ts` (the router, the page, the OpenAPI document
 *    and the tests all read that list).
 * 4. `src/admin/<name>-endpoint.test.ts`: happy path, bad input (400, nothing changed), and what a
 *    non-administrator may not do.
 * 5. If the browser calls it, infer its types in `page/ui/types.ts` with `ResponseOf<typeof …>`.
 */
import { z } from 'zod/v4';

export { z };

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One documented response of an endpoint. */
export interface ResponseContract {
  readonly description: string;
  /** The JSON body (omitted for downloads). */
  readonly schema?: z.ZodType;
  /** Other content types this status may be sent as (downloads), each a string body. */
  readonly downloads?: readonly string[];
}

/**
 * Fields only administrators may send, checked after the body's shape and before its values:
 * a non-administrator sending any of them gets 403 with `message`, whatever their values.
 */
export interface AdminOnlyFields {
  readonly fields: readonly string[];
  readonly message: string;
}

export interface EndpointContract {
  readonly method: HttpMethod;
  /** Full path, e.g. `/rest/extender/1.0/tokenTools/delete`. */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /**
   * The query as an object of strings. Omit when the endpoint reads none. A parameter given more
   * than once is refused (`give startAt at most once`) unless `repeatedQuery` is `'last'`.
   */
  readonly query?: z.ZodType;
  /** `'last'`: a repeated query parameter counts with its last value (Extender's own endpoints do). */
  readonly repeatedQuery?: 'last' | 'refuse';
  /** The JSON body. Omit when the endpoint reads none. */
  readonly body?: z.ZodType;
  /**
   * A rule across fields (e.g. "send either id or limitTo"), on the body as sent: the message to
   * answer with 400, or null. Checked after unknown fields, before the fields' values.
   */
  readonly bodyRule?: (body: Readonly<Record<string, unknown>>) => string | null;
  readonly adminOnly?: AdminOnlyFields;
  /** The answers: 200 is the success; errors share one shape and are listed in `errors`. */
  readonly responses: { readonly 200: ResponseContract };
  /** Error statuses this endpoint may answer (all with `{"status":"error","message"}`). */
  readonly errors: readonly number[];
}

/** Declares a contract, keeping its exact schema types for inference. */
export function defineContract<const C extends EndpointContract>(contract: C): C {
  return contract;
}

type SchemaOf<C, K extends string> = C extends { readonly [P in K]: infer S extends z.ZodType } ? S : undefined;

/** The validated query an endpoint's handler receives. */
export type QueryOf<C extends EndpointContract> =
  SchemaOf<C, 'query'> extends z.ZodType ? z.output<SchemaOf<C, 'query'>> : Record<string, never>;

/** The validated body an endpoint's handler receives. */
export type BodyOf<C extends EndpointContract> =
  SchemaOf<C, 'body'> extends z.ZodType ? z.output<SchemaOf<C, 'body'>> : undefined;

/** The JSON body of a successful answer, as the browser receives it. */
export type ResponseOf<C extends EndpointContract> = C['responses'][200] extends {
  readonly schema: infer S extends z.ZodType;
}
  ? z.output<S>
  : never;

/**
 * A whole-number query parameter within bounds, or `fallback` when absent:
 * `startAt must be a whole number`, `startAt must be between 0 and 1000`.
 */
export function wholeNumberParam(name: string, min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${name} must be between ${min} and ${max}`)
        .max(max, `${name} must be between ${min} and ${max}`),
    )
    .default(fallback)
    .meta({ description: `a whole number from ${min} to ${max}; default ${fallback}` });
}
