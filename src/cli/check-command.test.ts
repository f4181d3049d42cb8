import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCheckCommand } from './check-command.js';

/** Runs the command and collects what it printed. */
function check(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCheckCommand(
    argv,
    (text) => {
      out += text;
    },
    (text) => {
      err += text;
    },
  );
  return { code, out, err };
}

const SPACE_RULES =
  '[POST].*/rest/api/space/EXTENDER/property.*\\n[GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]';

describe('tokengate check', () => {
  test('allowed: exit 0, names the line and its rule', () => {
    const result = check('--limit-to', SPACE_RULES, 'get', '/rest/api/content?spaceKey=PMO&limit=10');
    assert.deepEqual(result, {
      code: 0,
      out: 'allowed by line 2: [GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]\n',
      err: '',
    });
  });

  test('denied: exit 1, every line with its reason', () => {
    const result = check('--limit-to', SPACE_RULES, 'GET', '/rest/api/content?spaceKey=HR');
    assert.equal(result.code, 1);
    assert.equal(
      result.out,
      'denied: no rule allows this request\n' +
        '  line 1: method GET is not one of POST\n' +
        '  line 2: query parameter "spaceKey" value "HR" does not match PM.*\n',
    );
    assert.equal(result.err, '');
  });

  test('an absolute URL: path and query are split, + and %XX decoded in names and values', () => {
    const rules = '.*/rest/api/content[QueryParam::title==My page][QueryParam::space key==P/M]';
    const result = check(
      '--limit-to',
      rules,
      'GET',
      'https://wiki.example.com/rest/api/content?title=My+page&space%20key=P%2FM',
    );
    assert.equal(result.code, 0, result.out + result.err);
  });

  test("rules on the absolute URL use the URL's origin, or --public-url", () => {
    const rules = 'https://wiki\\.example\\.com/rest/.*';
    assert.equal(check('--limit-to', rules, 'GET', 'https://wiki.example.com/rest/api').code, 0);
    assert.equal(check('--limit-to', rules, 'GET', '/rest/api').code, 1);
    assert.equal(check('--limit-to', rules, 'GET', '/rest/api', '--public-url', 'https://wiki.example.com').code, 0);
    assert.equal(
      check(
        '--limit-to',
        rules,
        'GET',
        'https://other.example.com/rest/api',
        '--public-url',
        'https://wiki.example.com',
      ).code,
      0,
    );
  });

  test('--body feeds JsonData parts; without it the request has no body', () => {
    const rules = '[POST].*/rest/api/content/?[JsonData::type==page]';
    assert.equal(check('--limit-to', rules, 'POST', '/rest/api/content', '--body', '{"type":"page"}').code, 0);
    const blog = check('--limit-to', rules, 'POST', '/rest/api/content', '--body', '{"type":"blogpost"}');
    assert.equal(blog.code, 1);
    assert.match(blog.out, /JSON node "type" value "blogpost" does not match page/);
    const none = check('--limit-to', rules, 'POST', '/rest/api/content');
    assert.equal(none.code, 1);
    assert.match(none.out, /the request has no body/);
  });

  test('an empty --limit-to is unrestricted', () => {
    assert.deepEqual(check('--limit-to', '', 'DELETE', '/rest/anything'), {
      code: 0,
      out: 'allowed (the token has no restrictions)\n',
      err: '',
    });
  });

  test('invalid rules: exit 2 with line and column', () => {
    const result = check('--limit-to', '.*/a\\n[GET]', 'GET', '/a');
    assert.equal(result.code, 2);
    assert.equal(result.out, '');
    assert.equal(
      result.err,
      'tokengate: --limit-to: line 2, column 6: the URL regex is missing after [GET]; write .* to allow any URL\n',
    );
  });

  test('invalid --body JSON (duplicate keys too, as the gateway refuses them): exit 1, the request would not pass', () => {
    const bad = check('--limit-to', '.*', 'POST', '/a', '--body', '{"type":');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^tokengate: --body is not valid JSON: /);
    const duplicate = check('--limit-to', '.*', 'POST', '/a', '--body', '{"a":1,"a":2}');
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.err, /duplicate key "a"/);
  });

  test('a request the gateway would refuse with 400: exit 1 (it would not pass), says so', () => {
    const result = check('--limit-to', '.*', 'GET', '/rest/../admin');
    assert.equal(result.code, 1);
    assert.match(result.err, /^tokengate: the gateway would refuse this request \(400\): .*dot segments/);
  });

  test('numbers are matched on their source text, as the gateway does', () => {
    const rule = '[POST]/a[JsonData::n==[0-9]{1,3}]';
    assert.equal(check('--limit-to', rule, 'POST', '/a', '--body', '{"n":100}').code, 0);
    assert.equal(check('--limit-to', rule, 'POST', '/a', '--body', '{"n":1e2}').code, 1);
    const exact = '[POST]/a[JsonData::n==9007199254740992]';
    assert.equal(check('--limit-to', exact, 'POST', '/a', '--body', '{"n":9007199254740993}').code, 1);
  });

  test('usage errors: exit 2 with a pointer to the help', () => {
    const cases: [string[], RegExp][] = [
      [['GET', '/a'], /missing --limit-to RULES/],
      [['--limit-to', '.*'], /missing METHOD URL/],
      [['--limit-to', '.*', 'GET'], /missing URL/],
      [['--limit-to', '.*', 'GET', '/a', '/b'], /unexpected argument "\/b"/],
      [['--limit-to', '.*', 'GET', '/a', '--nope'], /Unknown option '--nope'/],
      [['--limit-to', '.*', 'GET', '/a', '--public-url', 'ftp://x'], /--public-url must be an http or https URL/],
      [['--limit-to', '.*', 'GET', '/a', '--public-url', 'nope'], /--public-url is not a URL/],
    ];
    for (const [argv, message] of cases) {
      const result = check(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.out, '');
      assert.match(result.err, message);
      assert.match(result.err, /\(see: tokengate check --help\)\n$/);
    }
  });

  test('--help prints the usage, exit 0', () => {
    const result = check('--help');
    assert.equal(result.code, 0);
    assert.match(result.out, /^Usage: tokengate check --limit-to RULES METHOD URL/);
  });

  test('control characters in reasons are shown escaped', () => {
    const result = check('--limit-to', '.*[QueryParam::q==x]', 'GET', '/a?q=%1B%5B2J');
    assert.equal(result.code, 1);
    assert.ok(!result.out.includes('\u001b'), result.out);
  });
});
