import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminEndpoints as ADMIN_ENDPOINTS } from '../admin/admin-endpoints.js';
import { openApiDocument } from '../admin/openapi.js';

test('the OpenAPI document describes exactly the admin endpoints the gateway serves', () => {
  const document = openApiDocument('https://gate.example.com') as {
    servers?: { url: string }[];
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  const served = ADMIN_ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort();
  assert.deepEqual(documented, served);
});
