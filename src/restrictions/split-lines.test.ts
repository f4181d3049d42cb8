import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitLines } from './split-lines.js';

const texts = (text: string) => splitLines(text).map((line) => line.text);

describe('splitLines', () => {
  test('splits on LF and CRLF', () => {
    assert.deepEqual(texts('a\nb\r\nc'), ['a', 'b', 'c']);
  });

  test('splits on the two characters \\n', () => {
    assert.deepEqual(texts('a\\nb'), ['a', 'b']);
  });

  test('splits on the three characters \\\\n (one separator, no stray backslash)', () => {
    assert.deepEqual(texts('a\\\\nb'), ['a', 'b']);
  });

  test('splits on <br>, <br/>, <br /> in any case', () => {
    assert.deepEqual(texts('a<br>b<br/>c<br />d<BR>e<Br />f'), ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('mixes separators', () => {
    assert.deepEqual(texts('a\n<br>\\n\\\\nb'), ['a', '', '', '', 'b']);
  });

  test('keeps blank lines so that line numbers count them', () => {
    const lines = splitLines('\n\n  x');
    assert.deepEqual(
      lines.map((l) => [l.number, l.text]),
      [
        [1, ''],
        [2, ''],
        [3, 'x'],
      ],
    );
  });

  test('trims each line and remembers the column of its first character', () => {
    const [line] = splitLines('  \t[GET].*  ');
    assert.deepEqual(line, { number: 1, text: '[GET].*', column: 4 });
  });

  test('an empty text is one blank line', () => {
    assert.deepEqual(texts(''), ['']);
  });

  test('a lone CR is not a separator (trimmed at the line end)', () => {
    assert.deepEqual(texts('a\rb\r'), ['a\rb']);
  });

  test('"<br" without ">" and other tags are not separators', () => {
    assert.deepEqual(texts('a<brx>b<b>c<br'), ['a<brx>b<b>c<br']);
  });
});
