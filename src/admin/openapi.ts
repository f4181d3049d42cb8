import { z } from 'zod/v4';
import { ERROR_CODES } from '../http/error-catalogue.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { adminEndpoints } from './admin-endpoints.js';
import type { EndpointContract, ResponseContract } from './endpoint-contract.js';

/**
 * The OpenAPI 3.1 description of tokengate's admin API, served (without authentication) at
 * `OPENAPI_PATH` (http/paths.ts), generated from the endpoints' contracts: each operation,
 * its query parameters, body and success answer are the zod schemas the requests are validated
 * with (as JSON Schema, the request side: what a client sends).
 */
type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(contract: EndpointContract): object[] | undefined {
  if (contract.query === undefined) return undefined;
  const query = jsonSchema(contract.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(query.properties ?? {}).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    ...(query.required?.includes(name) && { required: true }),
    ...(description !== undefined && { description }),
    schema,
  }));
}

function success(response: ResponseContract): object {
  const content: Record<string, { schema: JsonSchema }> = {};
  if (response.schema !== undefined) content['application/json'] = { schema: jsonSchema(response.schema, 'output') };
  for (const type of response.downloads ?? []) content[type] = { schema: { type: 'string' } };
  return { description: response.description, content };
}

function operation(contract: EndpointContract): object {
  return {
    summary: contract.summary,
    ...(contract.query !== undefined && { parameters: parameters(contract) }),
    ...(contract.body !== undefined && {
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } },
    }),
    responses: {
      200: success(contract.responses[200]),
      ...Object.fromEntries(contract.errors.map((status) => [status, { $ref: '#/components/responses/Error' }])),
    },
  };
}

/** The `paths` object: one operation per endpoint. */
export function openApiPaths(endpoints: readonly AdminEndpoint<never>[]): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const { contract } of endpoints) {
    paths[contract.path] = { ...paths[contract.path], [contract.method.toLowerCase()]: operation(contract) };
  }
  return paths;
}

/** The document, with the server URL filled in. */
export function openApiDocument(
  serverUrl: string,
  endpoints: readonly AdminEndpoint<never>[] = adminEndpoints,
): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'tokengate admin API (Extender tokenTools)',
      version: '1.0',
      description:
        'Manage scoped, expiring, audited REST API tokens. Every call is authenticated with a token (Basic USER:TOKEN or Bearer TOKEN).',
    },
    servers: [{ url: serverUrl }],
    security: [{ basic: [] }, { bearer: [] }],
    paths: openApiPaths(endpoints),
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'USER:TOKEN' },
        bearer: { type: 'http', scheme: 'bearer', description: 'a token bound to a user' },
      },
      responses: {
        Error: {
          description: 'Error',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { status: { const: 'error' }, code: { enum: ERROR_CODES }, message: { type: 'string' } },
                required: ['status', 'code', 'message'],
              },
            },
          },
        },
      },
    },
  };
}
