import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerFraming } from './answer-framing.js';

function framingOf(headers: [string, string][]): AnswerFraming {
  const framing = new AnswerFraming();
  for (const [name, value] of headers) framing.see(name, Buffer.from(value, 'latin1'));
  return framing;
}

test('an answer with a length or chunked on a kept connection does not close it', () => {
  assert.equal(framingOf([['content-length', '42']]).closes, false);
  assert.equal(framingOf([['content-length', '42']]).length, 42);
  assert.equal(framingOf([['transfer-encoding', 'chunked']]).closes, false);
  assert.equal(
    framingOf([
      ['connection', 'keep-alive'],
      ['content-length', '0'],
    ]).closes,
    false,
  );
});

test('Connection: close in any letter case or list position, or no framing at all, closes it', () => {
  assert.equal(
    framingOf([
      ['connection', 'Close'],
      ['content-length', '42'],
    ]).closes,
    true,
  );
  assert.equal(framingOf([['connection', 'keep-alive, close']]).closes, true);
  assert.equal(framingOf([]).closes, true, 'the body ends with the connection');
});

test('a Content-Length that is not one plain number counts as none', () => {
  for (const value of ['abc', '1e3', '-1', '42, 42', '9999999999999999']) {
    assert.equal(framingOf([['content-length', value]]).length, -1, value);
  }
  assert.equal(framingOf([['content-length', ' 7 ']]).length, 7);
});
