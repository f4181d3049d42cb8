import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLimitTo } from './parse.js';
import { mustParse, plainRules } from './restrictions.test-helpers.js';

const one = (text: string) => {
  const [rule] = plainRules(mustParse(text));
  assert.ok(rule);
  return rule;
};

describe('parseLimitTo: text and lines', () => {
  test('empty text is unrestricted', () => {
    assert.deepEqual(mustParse(''), { rules: [], needsBody: false });
  });

  test('a text of only separators or blanks is refused, not read as unrestricted (issue 14)', () => {
    for (const text of ['   ', '\n\n', '<br>\\n', '<br>', '\\n', ' <br/> \n ']) {
      const result = parseLimitTo(text);
      assert.equal(result.ok, false, JSON.stringify(text));
      if (!result.ok) assert.match(result.error.message, /no rule, only line separators/);
    }
  });

  test('a method list with a word that is no HTTP method is refused (issue 14)', () => {
    for (const text of ['[FOO].*', '[GTE].*/rest/.*', '[GET|FOO].*', '[abc].*']) {
      const result = parseLimitTo(text);
      assert.equal(result.ok, false, text);
      if (!result.ok) assert.match(result.error.message, /is not an HTTP method/);
    }
    assert.ok(parseLimitTo('[QUERY|REPORT].*').ok);
  });

  test('every separator splits rules, line numbers count blank lines', () => {
    const text = '.*/a\n.*/b\r\n.*/c\\n.*/d\\\\n.*/e<br>.*/f<br/>.*/g<BR />\n.*/h';
    const rules = plainRules(mustParse(text));
    assert.deepEqual(
      rules.map((r) => [r.line, r.url]),
      [
        [1, '.*/a'],
        [2, '.*/b'],
        [3, '.*/c'],
        [4, '.*/d'],
        [5, '.*/e'],
        [6, '.*/f'],
        [7, '.*/g'],
        [9, '.*/h'],
      ],
    );
  });

  test('leading and trailing whitespace of a line is ignored', () => {
    assert.deepEqual(one('   [GET] .*/a  \t'), { line: 1, methods: ['GET'], url: '.*/a', query: [], json: [] });
  });

  test('needsBody is true when some rule has a JsonData part', () => {
    assert.equal(mustParse('.*/a\n[POST].*/b[JsonData::type==page]').needsBody, true);
    assert.equal(mustParse('.*/a[QueryParam::x==y]').needsBody, false);
  });

  test('the result is frozen', () => {
    const ruleSet = mustParse('.*/a');
    assert.ok(Object.isFrozen(ruleSet));
    assert.ok(Object.isFrozen(ruleSet.rules));
    assert.ok(Object.isFrozen(ruleSet.rules[0]));
  });

  test('at most 1,000 rules; blank lines do not count', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => `.*/r${i}`).join('\n\n');
    assert.equal(mustParse(thousand).rules.length, 1000);
    const result = parseLimitTo(`${thousand}\n.*/one-more`);
    assert.equal(result.ok, false);
  });
});

describe('parseLimitTo: methods', () => {
  test('absent means any method', () => {
    assert.equal(one('.*/rest/api/space.*').methods, null);
  });

  test('one method, any case', () => {
    assert.deepEqual(one('[post].*/a').methods, ['POST']);
    assert.deepEqual(one('[Post].*/a').methods, ['POST']);
  });

  test('several methods joined by | or , (blanks allowed), duplicates dropped', () => {
    assert.deepEqual(one('[GET|post].*/a').methods, ['GET', 'POST']);
    assert.deepEqual(one('[GET,PUT].*/a').methods, ['GET', 'PUT']);
    assert.deepEqual(one('[ get , put | get ].*/a').methods, ['GET', 'PUT']);
  });

  test('extension methods are HTTP tokens too', () => {
    assert.deepEqual(one('[PROPFIND|MKCOL|VERSION-CONTROL].*/dav.*').methods, ['PROPFIND', 'MKCOL', 'VERSION-CONTROL']);
  });

  test('a leading character class is the URL regex, not a method list', () => {
    assert.deepEqual(one('[/a-z]+'), { line: 1, methods: null, url: '[/a-z]+', query: [], json: [] });
    assert.deepEqual(one('[^/]*/rest/.*').methods, null);
    assert.deepEqual(one('[0-9]/x').methods, null);
    assert.deepEqual(one('[GET]+/x').url, '[GET]+/x', 'followed by a quantifier: a class');
  });

  test('a method list then a URL regex that starts with a class', () => {
    assert.deepEqual(one('[GET][/a-z]+'), { line: 1, methods: ['GET'], url: '[/a-z]+', query: [], json: [] });
  });
});

describe('parseLimitTo: URL regex', () => {
  test('character classes in the URL regex', () => {
    assert.equal(one('[GET].*/rest/api/space/[A-Z]+').url, '.*/rest/api/space/[A-Z]+');
    assert.equal(one('.*/a/[]x[]+/b').url, '.*/a/[]x[]+/b');
  });

  test('an escaped [ and a [ that does not start a part belong to the URL regex', () => {
    assert.equal(one('.*/\\[QueryParam::x==y\\]').url, '.*/\\[QueryParam::x==y\\]');
    assert.equal(one('.*/a[:]b').url, '.*/a[:]b');
  });

  test('an escaped [ before a method name is no misplaced method list', () => {
    assert.equal(one('.*/x\\[POST]').url, '.*/x\\[POST]');
    assert.equal(parseLimitTo('.*/x\\\\[POST]').ok, false, 'an escaped backslash, then a misplaced method list');
  });

  test('blanks between the URL regex and the first part are not part of the URL', () => {
    assert.equal(one('.*/a  [QueryParam::x==y]').url, '.*/a');
  });
});

describe('parseLimitTo: parts', () => {
  test('QueryParam and JsonData, several of each, in any order after the URL', () => {
    assert.deepEqual(
      one('[POST].*/c[JsonData::type==page][QueryParam::a==1][JsonData::space.key==PM][QueryParam::b==2]'),
      {
        line: 1,
        methods: ['POST'],
        url: '.*/c',
        query: [
          { name: 'a', regex: '1' },
          { name: 'b', regex: '2' },
        ],
        json: [
          { node: 'type', path: ['type'], regex: 'page' },
          { node: 'space.key', path: ['space', 'key'], regex: 'PM' },
        ],
      },
    );
  });

  test('part keywords in any case; blanks between parts', () => {
    const rule = one('.*/c [queryparam::a==1]  [JSONDATA::b==2]');
    assert.deepEqual(rule.query, [{ name: 'a', regex: '1' }]);
    assert.deepEqual(rule.json, [{ node: 'b', path: ['b'], regex: '2' }]);
  });

  test('regexes inside parts may contain classes with [ and ]', () => {
    assert.deepEqual(one('.*[QueryParam::key==[A-Z]+]').query, [{ name: 'key', regex: '[A-Z]+' }]);
    assert.deepEqual(one('.*[QueryParam::key==[]a]+]').query, [{ name: 'key', regex: '[]a]+' }]);
    assert.deepEqual(one('.*[QueryParam::key==[^]]*]').query, [{ name: 'key', regex: '[^]]*' }]);
    assert.deepEqual(one('.*[QueryParam::key==[[:upper:]]+x]').query, [{ name: 'key', regex: '[[:upper:]]+x' }]);
    assert.deepEqual(one('.*[QueryParam::key==a[[]b]').query, [{ name: 'key', regex: 'a[[]b' }]);
  });

  test('an escaped ] does not end a part', () => {
    assert.deepEqual(one('.*[JsonData::title==\\[draft\\].*][QueryParam::x==\\]]'), {
      line: 1,
      methods: null,
      url: '.*',
      query: [{ name: 'x', regex: '\\]' }],
      json: [{ node: 'title', path: ['title'], regex: '\\[draft\\].*' }],
    });
  });

  test('alternation and groups inside a part', () => {
    assert.deepEqual(one('.*[QueryParam::expand==(history|body\\.view)(,(history|body\\.view))*]').query, [
      { name: 'expand', regex: '(history|body\\.view)(,(history|body\\.view))*' },
    ]);
  });

  test('a parameter name may contain brackets and a single =', () => {
    assert.deepEqual(one('.*[QueryParam::filter[type]==page]').query, [{ name: 'filter[type]', regex: 'page' }]);
    assert.deepEqual(one('.*[QueryParam::a===b]').query, [{ name: 'a', regex: '=b' }]);
  });

  test('an empty regex in a part matches only an empty value', () => {
    assert.deepEqual(one('.*[QueryParam::flag==]').query, [{ name: 'flag', regex: '' }]);
  });

  test('a regex may contain ==', () => {
    assert.deepEqual(one('.*[QueryParam::cql==space==PM]').query, [{ name: 'cql', regex: 'space==PM' }]);
  });

  test('JsonData node: top-level key or dotted path', () => {
    assert.deepEqual(one('.*[JsonData::body.storage.value==.*]').json, [
      { node: 'body.storage.value', path: ['body', 'storage', 'value'], regex: '.*' },
    ]);
  });
});
