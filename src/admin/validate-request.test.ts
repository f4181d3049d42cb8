import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';
import { defineContract, z } from './endpoint-contract.js';
import { validateBody, validateQuery } from './validate-request.js';

const admin: User = {
  username: 'admin',
  email: null,
  displayName: null,
  admin: true,
  active: true,
  passwordHash: null,
  dateCreated: 0,
};
const bob: User = { ...admin, username: 'bob', admin: false };

const contract = defineContract({
  method: 'POST',
  path: '/rest/extender/1.0/tokenTools/example',
  summary: 'an example',
  query: z.object({ page: z.string().optional(), size: z.string().optional() }),
  body: z.strictObject({
    name: z.string({ error: 'name is required' }),
    colour: z.string().optional(),
    loud: z.boolean().optional(),
    count: z.number().int().optional(),
  }),
  bodyRule: (body) => ('colour' in body && 'loud' in body ? 'send colour or loud, not both' : null),
  adminOnly: { fields: ['loud'], message: 'only administrators may be loud' },
  responses: { 200: { description: 'ok' } },
  errors: [400, 403],
});

function rejects(fn: () => unknown, status: number, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof HttpError && err.status === status && err.message === message);
}

describe('validateBody: one problem at a time, in the order a person fixes a request', () => {
  test('valid bodies come back parsed', () => {
    assert.deepEqual(validateBody(contract, { name: 'x', loud: true }, admin), { name: 'x', loud: true });
  });

  test('not an object, then unknown fields, then the rule across fields, then admin-only, then values', () => {
    for (const body of [null, [], 'x', 3])
      rejects(() => validateBody(contract, body, admin), 400, 'the request body must be a JSON object');
    rejects(() => validateBody(contract, { name: 5, loud: 'x', a: 1, b: 2 }, bob), 400, 'unknown fields: "a", "b"');
    rejects(() => validateBody(contract, { name: 5, colour: 1, loud: 'x' }, bob), 400, 'send colour or loud, not both');
    rejects(() => validateBody(contract, { name: 5, loud: 'x' }, bob), 403, 'only administrators may be loud');
    rejects(() => validateBody(contract, { name: 5, loud: 'x' }, admin), 400, 'name is required');
  });

  test('fields without their own message get one that names them', () => {
    rejects(() => validateBody(contract, { name: 'x', loud: 'yes' }, admin), 400, 'loud must be true or false');
    rejects(() => validateBody(contract, { name: 'x', colour: 7 }, admin), 400, 'colour must be a string');
    rejects(() => validateBody(contract, { name: 'x', count: 'many' }, admin), 400, 'count must be a whole number');
  });
});

describe('validateQuery', () => {
  test('absent parameters are absent; a repeated one is refused by name', () => {
    assert.deepEqual(validateQuery(contract, new Map([['page', ['2']]])), { page: '2' });
    rejects(() => validateQuery(contract, new Map([['size', ['1', '2']]])), 400, 'give size at most once');
  });

  test("'last': a repeated parameter counts with its last value", () => {
    const last = { ...contract, repeatedQuery: 'last' as const };
    assert.deepEqual(validateQuery(last, new Map([['size', ['1', '2']]])), { size: '2' });
  });
});
