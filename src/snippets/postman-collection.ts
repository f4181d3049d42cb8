import type { ExampleRequest } from './example-request.js';

/** The format identifier Postman and newman read (a name, never fetched). */
const SCHEMA_V2_1 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PostmanInput {
  readonly label: string;
  readonly baseUrl: string;
  readonly request: ExampleRequest;
  readonly auth: 'basic' | 'bearer';
  readonly user: string;
  readonly secret: string;
}

type KeyValue = { key: string; value: string; type?: string };

/**
 * A Postman collection (format v2.1) with one request: `input.request`, authenticated like the
 * other snippets. The base URL and the token are collection variables (`baseUrl`, `token`), so a
 * placeholder token is replaced in one place; a test script fails the run when tokengate refuses
 * the call, so `newman run FILE` says whether the token works.
 *
 * @example
 * postmanCollection({ label: 'ci', baseUrl: 'https://gate', request, auth: 'bearer', user: 'bob', secret: 's' })
 * // '{ "info": { "name": "tokengate · ci", … }, "item": [ … ] }'
 */
export function postmanCollection(input: PostmanInput): string {
  const { method, path, query, body, problem } = input.request;
  const auth =
    input.auth === 'basic'
      ? {
          type: 'basic',
          basic: [
            { key: 'username', value: input.user, type: 'string' },
            { key: 'password', value: '{{token}}', type: 'string' },
          ],
        }
      : { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] };
  const header: KeyValue[] = [{ key: 'Accept', value: 'application/json' }];
  if (body !== undefined) header.push({ key: 'Content-Type', value: 'application/json' });
  const queryEntries = query.map(([key, value]) => ({
    key: encodeURIComponent(key),
    value: encodeURIComponent(value),
  }));
  const rawQuery = queryEntries.length === 0 ? '' : `?${queryEntries.map((q) => `${q.key}=${q.value}`).join('&')}`;
  const collection = {
    info: {
      name: `tokengate · ${input.label}`,
      description:
        problem === null ? 'A call this token allows. Run it with Postman or `newman run FILE`.' : `Note: ${problem}.`,
      schema: SCHEMA_V2_1,
    },
    auth,
    variable: [
      { key: 'baseUrl', value: input.baseUrl, type: 'string' },
      { key: 'token', value: input.secret, type: 'string' },
    ],
    item: [
      {
        name: `${method} ${path}`,
        request: {
          method,
          header,
          url: {
            raw: `{{baseUrl}}${path}${rawQuery}`,
            host: ['{{baseUrl}}'],
            path: path.split('/').slice(1),
            ...(queryEntries.length === 0 ? {} : { query: queryEntries }),
          },
          ...(body === undefined
            ? {}
            : { body: { mode: 'raw', raw: JSON.stringify(body), options: { raw: { language: 'json' } } } }),
        },
        event: [
          {
            listen: 'test',
            script: {
              type: 'text/javascript',
              exec: [
                "pm.test('tokengate let the call through', function () {",
                '  pm.expect(pm.response.code).to.not.be.oneOf([401, 403]);',
                '});',
              ],
            },
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(collection, null, 2)}\n`;
}
