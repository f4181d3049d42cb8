import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod/v4';
import { adminEndpoints } from './admin-endpoints.js';
import { openApiDocument } from './openapi.js';

interface Operation {
  summary: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }>; $ref?: string }>;
}

const document = openApiDocument('https://gate.example.com') as {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
};

function operation(method: string, path: string): Operation {
  const found = document.paths[path]?.[method.toLowerCase()];
  assert.ok(found, `${method} ${path} is documented`);
  return found;
}

const withoutDialect = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

test('the document lists exactly the declared endpoints, each once', () => {
  assert.equal(document.openapi, '3.1.0');
  assert.deepEqual(document.servers, [{ url: 'https://gate.example.com' }]);
  const documented = Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  assert.deepEqual(documented, adminEndpoints.map((e) => `${e.method} ${e.path}`).sort());
  assert.equal(new Set(documented).size, adminEndpoints.length);
  // the document is plain JSON (it is served as text)
  assert.deepEqual(JSON.parse(JSON.stringify(document)), document);
});

test('each operation carries its contract: summary, query parameters, body, answer, errors', () => {
  for (const { method, path, contract } of adminEndpoints) {
    const op = operation(method, path);
    assert.equal(op.summary, contract.summary);
    if (contract.body === undefined) assert.equal(op.requestBody, undefined);
    else assert.deepEqual(op.requestBody?.content['application/json'].schema, withoutDialect(contract.body, 'input'));
    const declared =
      contract.query === undefined
        ? []
        : Object.keys((withoutDialect(contract.query, 'input') as { properties: object }).properties);
    assert.deepEqual(op.parameters?.map((p) => p.name) ?? [], declared, path);
    const answer = contract.responses[200].schema;
    assert.ok(answer !== undefined);
    assert.deepEqual(op.responses['200']?.content?.['application/json']?.schema, withoutDialect(answer, 'output'));
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', ...contract.errors.map(String)].sort());
    for (const status of contract.errors) assert.equal(op.responses[status]?.$ref, '#/components/responses/Error');
  }
});

test('what a client reads in the document matches what the endpoints accept', () => {
  const deleteBody = operation('DELETE', '/rest/extender/1.0/tokenTools/delete').requestBody?.content[
    'application/json'
  ].schema;
  assert.deepEqual(deleteBody, {
    type: 'object',
    properties: { id: { type: 'string', minLength: 1 } },
    required: ['id'],
    additionalProperties: false,
  });
  const setBody = operation('POST', '/rest/extender/1.0/tokenTools/set').requestBody?.content['application/json']
    .schema as {
    properties: Record<string, { enum?: string[] }>;
    additionalProperties: boolean;
  };
  assert.equal(setBody.additionalProperties, false);
  assert.deepEqual(Object.keys(setBody.properties), [
    'label',
    'daysUntilExpiry',
    'userName',
    'limitTo',
    'token',
    'rateLimit',
    'quota',
    'allowedIps',
    'authType',
    'extenderEndpointsOnly',
    'usageDetails',
    'auditLog',
    'maxExpiryDays',
  ]);
  assert.deepEqual(setBody.properties.authType?.enum, ['basic', 'bearer', 'both']);
  const snippet = operation('GET', '/rest/extender/1.0/tokenTools/snippet').parameters ?? [];
  assert.deepEqual(
    snippet.map((p) => [p.name, p.required === true]),
    [
      ['id', true],
      ['lang', false],
      ['path', false],
    ],
  );
  const audit = operation('GET', '/rest/extender/1.0/tokenTools/audit');
  assert.deepEqual(Object.keys(audit.responses['200']?.content ?? {}), [
    'application/json',
    'text/csv',
    'application/x-ndjson',
  ]);
  assert.deepEqual(
    (audit.parameters ?? []).map((p) => p.name),
    ['tokenId', 'user', 'decision', 'from', 'to', 'path', 'startAt', 'maxResults', 'format'],
  );
});
