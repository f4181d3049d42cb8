import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exampleRequest } from './example-request.js';
import { SECRET_PLACEHOLDER, snippet, snippetAuth, USER_PLACEHOLDER } from './snippets.js';

const BASE = 'https://gate.example.com';
const post = exampleRequest('[POST].*\\/rest/api/content [JsonData::type==page]', BASE);

describe('snippet', () => {
  test('Basic when only Basic is accepted or the token is unbound; Bearer otherwise', () => {
    assert.equal(snippetAuth('basic', 'bob'), 'basic');
    assert.equal(snippetAuth('both', 'bob'), 'bearer');
    assert.equal(snippetAuth('bearer', 'bob'), 'bearer');
    assert.equal(snippetAuth('both', null), 'basic');
  });

  test('curl sends the method, the JSON body and the auth the text promises', () => {
    const code = snippet({
      lang: 'curl',
      authType: 'basic',
      baseUrl: BASE,
      request: post,
      user: 'bob',
      secret: 's3',
      label: 'l',
    });
    assert.match(code, /^curl -sS -X POST \\$/m);
    assert.match(code, /-u 'bob:s3'/);
    assert.match(code, /--data '\{"type":"page"\}'/);
    assert.match(code, /'https:\/\/gate\.example\.com\/rest\/api\/content'$/);
    const bearer = snippet({
      lang: 'curl',
      authType: 'both',
      baseUrl: BASE,
      request: post,
      user: 'bob',
      secret: null,
      label: 'l',
    });
    assert.match(bearer, new RegExp(`Authorization: Bearer ${SECRET_PLACEHOLDER}`));
    assert.doesNotMatch(bearer, / -u /);
  });

  test('Python uses only the standard library', () => {
    const code = snippet({
      lang: 'python',
      authType: 'basic',
      baseUrl: BASE,
      request: post,
      user: null,
      secret: null,
      label: 'l',
    });
    const imports = code.split('\n').filter((line) => line.startsWith('import '));
    assert.deepEqual(imports, ['import base64', 'import urllib.error', 'import urllib.request']);
    assert.ok(code.includes(USER_PLACEHOLDER));
    assert.ok(code.includes('method="POST"'));
  });

  test('a Postman collection v2.1 with the request, its auth and the token as a variable', () => {
    const text = snippet({
      lang: 'postman',
      authType: 'both',
      baseUrl: BASE,
      request: post,
      user: 'bob',
      secret: 's3',
      label: 'ci',
    });
    const collection = JSON.parse(text);
    assert.match(collection.info.schema, /collection\/v2\.1\.0\/collection\.json$/);
    assert.equal(collection.auth.type, 'bearer');
    assert.deepEqual(
      collection.variable.map((v: { key: string }) => v.key),
      ['baseUrl', 'token'],
    );
    assert.equal(collection.item[0].request.method, 'POST');
    assert.equal(collection.item[0].request.body.raw, '{"type":"page"}');
  });

  test('a request the token does not allow is said so in the code', () => {
    const none = exampleRequest('[GET](?i)/rest/.*', BASE);
    for (const lang of ['curl', 'python'] as const) {
      const code = snippet({
        lang,
        authType: 'basic',
        baseUrl: BASE,
        request: none,
        user: 'bob',
        secret: null,
        label: 'l',
      });
      assert.match(code.split('\n')[0] ?? '', /^# Note: no call the token allows could be built/);
    }
    const js = snippet({
      lang: 'javascript',
      authType: 'basic',
      baseUrl: BASE,
      request: none,
      user: 'bob',
      secret: null,
      label: 'l',
    });
    assert.match(js, /^\/\/ Note: /);
  });
});
