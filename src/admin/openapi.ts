/**
 * The OpenAPI 3.1 description of tokengate's admin API, served (without authentication) at
 * `/rest/extender/1.0/openapi.json`. A test keeps it true: every endpoint the router serves is
 * described here and every described operation is served.
 */
import { ERROR_CODES } from '../http/error-catalogue.js';

export const OPENAPI_PATH = '/rest/extender/1.0/openapi.json';

const error = { $ref: '#/components/responses/Error' };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: object) => ({ description, ...json(schema) });

const tokenView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    user: { type: ['string', 'null'] },
    userDisplayName: { type: ['string', 'null'] },
    author: { type: ['string', 'null'] },
    token: { type: 'string', description: 'the secret: only for administrators in standard mode' },
    limitTo: { type: 'string', description: 'rules, lines joined with <br>' },
    ip: { type: ['string', 'null'] },
    validUntil: { type: 'integer', description: 'epoch ms, 0 = never' },
    dateCreated: { type: 'integer' },
    counter: { type: 'integer' },
    lastUsed: { type: 'integer' },
  },
  required: ['id', 'label', 'user', 'limitTo', 'validUntil', 'dateCreated', 'counter', 'lastUsed'],
};

const settings = {
  type: 'object',
  properties: {
    authType: { enum: ['basic', 'bearer', 'both'] },
    extenderEndpointsOnly: { type: 'boolean' },
    usageDetails: { type: 'boolean' },
    auditLog: { type: 'boolean' },
    secureMode: { type: 'boolean', readOnly: true },
  },
};

const base = '/rest/extender/1.0/tokenTools';

/** The document, with the server URL filled in. */
export function openApiDocument(serverUrl: string): object {
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
    paths: {
      [`${base}/get`]: {
        get: {
          summary: 'List tokens (administrators: all; others: their own), newest first',
          parameters: [
            { name: 'startAt', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
            { name: 'maxResults', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
          ],
          responses: {
            200: ok('A page of tokens', {
              type: 'object',
              properties: {
                status: { const: 'ok' },
                total: { type: 'integer' },
                pages: { type: 'integer' },
                startAt: { type: 'integer' },
                maxResults: { type: 'integer' },
                tokens: { type: 'array', items: tokenView },
              },
            }),
            400: error,
            401: error,
            403: error,
          },
        },
      },
      [`${base}/set`]: {
        post: {
          summary: 'Create a token, or (administrators) change settings — not both in one call',
          requestBody: json({
            oneOf: [
              {
                type: 'object',
                properties: {
                  label: { type: 'string', minLength: 1, maxLength: 255 },
                  daysUntilExpiry: { type: 'integer', minimum: 0 },
                  userName: { type: 'string' },
                  limitTo: { type: 'string', description: 'rules separated by newline, \\n, \\\\n or <br>' },
                  token: { type: 'string', minLength: 16 },
                },
                required: ['label'],
                additionalProperties: false,
              },
              {
                type: 'object',
                properties: {
                  authType: { enum: ['basic', 'bearer', 'both'] },
                  extenderEndpointsOnly: { type: 'boolean' },
                  usageDetails: { type: 'boolean' },
                  auditLog: { type: 'boolean' },
                },
                additionalProperties: false,
              },
            ],
          }),
          responses: {
            200: ok('The created token (with its secret, shown once in secure mode) or the new settings', {
              type: 'object',
            }),
            400: error,
            401: error,
            403: error,
            409: error,
          },
        },
      },
      [`${base}/delete`]: {
        delete: {
          summary: 'Delete (revoke) a token',
          requestBody: json({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }),
          responses: {
            200: ok('Deleted', { type: 'object', properties: { status: { const: 'ok' } } }),
            400: error,
            401: error,
            403: error,
            404: error,
          },
        },
      },
      [`${base}/settings`]: {
        get: {
          summary: 'Runtime settings and secure mode',
          responses: {
            200: ok('Settings', { type: 'object', properties: { status: { const: 'ok' }, settings } }),
            401: error,
          },
        },
      },
      [`${base}/check`]: {
        post: {
          summary: 'Would this token (or these rules) allow this call? The gateway engine, without calling anything',
          requestBody: json({
            type: 'object',
            properties: {
              id: { type: 'string' },
              limitTo: { type: 'string' },
              method: { type: 'string' },
              url: { type: 'string' },
              body: { description: 'JSON body (a JSON value or its text)' },
            },
            required: ['method', 'url'],
          }),
          responses: {
            200: ok('The verdict', {
              type: 'object',
              properties: {
                status: { const: 'ok' },
                valid: { type: 'boolean' },
                allowed: { type: 'boolean' },
                line: { type: ['integer', 'null'] },
                failures: { type: 'array', items: { type: 'object' } },
                error: { type: 'object', description: 'the rule error (line, column, message) when valid is false' },
              },
            }),
            400: error,
            401: error,
            404: error,
          },
        },
      },
      [`${base}/snippet`]: {
        get: {
          summary: 'Ready-to-run code for a token and the current auth-method setting',
          parameters: [
            { name: 'id', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'lang', in: 'query', schema: { enum: ['curl', 'javascript', 'python'], default: 'curl' } },
            { name: 'path', in: 'query', schema: { type: 'string', default: '/rest/api/space' } },
          ],
          responses: {
            200: ok('Code', {
              type: 'object',
              properties: { code: { type: 'string' }, secretIncluded: { type: 'boolean' } },
            }),
            400: error,
            401: error,
            403: error,
            404: error,
          },
        },
      },
      [`${base}/audit`]: {
        get: {
          summary: 'Audit log, newest first (administrators: all; others: their own tokens); CSV/NDJSON export',
          parameters: ['tokenId', 'user', 'decision', 'from', 'to', 'path', 'startAt', 'maxResults', 'format'].map(
            (name) => ({
              name,
              in: 'query',
              schema: name === 'format' ? { enum: ['json', 'csv', 'ndjson'] } : { type: 'string' },
            }),
          ),
          responses: {
            200: {
              description: 'A page of records, or the whole filtered range as CSV/NDJSON',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
                'application/x-ndjson': { schema: { type: 'string' } },
              },
            },
            400: error,
            401: error,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'USER:TOKEN' },
        bearer: { type: 'http', scheme: 'bearer', description: 'a token bound to a user' },
      },
      responses: {
        Error: ok('Error', {
          type: 'object',
          properties: { status: { const: 'error' }, code: { enum: ERROR_CODES }, message: { type: 'string' } },
          required: ['status', 'code', 'message'],
        }),
      },
    },
  };
}
