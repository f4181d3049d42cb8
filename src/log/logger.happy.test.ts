/** The pino logger: one JSON line per event with level, time and msg; levels; redaction; lines written whatever the level. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.js';

function kept(level: Parameters<typeof createLogger>[0]) {
  const lines: string[] = [];
  return { lines, log: createLogger(level, (line) => lines.push(line)) };
}

test('each event is one JSON line with level (a name), ISO time, msg and the fields', () => {
  const { lines, log } = kept('info');
  log.info('tokengate started', { database: 'sqlite' });
  log.warn('degraded');
  assert.equal(lines.length, 2);
  assert.ok(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')));
  const first = JSON.parse(lines[0] ?? '');
  assert.equal(first.level, 'info');
  assert.equal(first.msg, 'tokengate started');
  assert.equal(first.database, 'sqlite');
  assert.equal(first.pid, process.pid);
  assert.ok(!Number.isNaN(Date.parse(first.time)) && /T.*Z$/.test(first.time), first.time);
  assert.equal(JSON.parse(lines[1] ?? '').level, 'warn');
});

test('lines below the level are not written; debug shows them; always() ignores the level', () => {
  const quiet = kept('warn');
  quiet.log.info('hidden');
  quiet.log.debug('hidden too');
  quiet.log.always('listening on http://127.0.0.1:1');
  quiet.log.error('shown');
  assert.deepEqual(
    quiet.lines.map((line) => JSON.parse(line).msg),
    ['listening on http://127.0.0.1:1', 'shown'],
  );
  assert.equal(quiet.log.debugEnabled, false);
  const loud = kept('debug');
  loud.log.debug('per call');
  assert.equal(JSON.parse(loud.lines[0] ?? '').level, 'debug');
  assert.equal(loud.log.debugEnabled, true);
});

test('authorization, cookie, password, secret and token fields are redacted, at the top and one level down', () => {
  const { lines, log } = kept('info');
  log.info('oops', {
    authorization: 'Basic c2VjcmV0',
    headers: { cookie: 'tg_session=abc', authorization: 'Bearer tgp_zzz' },
    upstream: { password: 'hunter2', token: 'tgp_yyy' },
    secret: 'tgp_xxx',
    tokenId: 'kept',
  });
  const line = lines[0] ?? '';
  for (const value of ['c2VjcmV0', 'tg_session=abc', 'tgp_zzz', 'hunter2', 'tgp_yyy', 'tgp_xxx']) {
    assert.ok(!line.includes(value), `${value} in ${line}`);
  }
  assert.equal(JSON.parse(line).tokenId, 'kept');
  assert.equal(JSON.parse(line).headers.cookie, '[redacted]');
});
