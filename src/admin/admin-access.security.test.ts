/**
 * Black-box: the privilege rule of the admin API — no token can obtain more than it has.
 * Real server, real upstream, real database; tokens made with the real CLI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';

const TOOLS = '/rest/extender/1.0/tokenTools';

interface Answer {
  status: number;
  body: { status: string; message?: string; [key: string]: unknown };
}

describe('admin API: no token can obtain more than it has', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let rootFull: { id: string; token: string };
  let rootExtender: { id: string; token: string };
  let rootNamesCheck: { id: string; token: string };
  let rootNamesSet: { id: string; token: string };
  let unbound: { id: string; token: string };
  let bobFull: { id: string; token: string };

  const call = async (authorization: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${gate.url}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'root', '--admin'], { dataDir: dir.path }).status, 0);
    assert.equal(runCli(['user', 'add', 'bob'], { dataDir: dir.path }).status, 0);
    rootFull = createTokenWithCli(dir.path, ['--label', 'root full', '--user', 'root']);
    // meant only for an Extender endpoint such as getUserDetails, but its regex covers tokenTools too
    rootExtender = createTokenWithCli(dir.path, [
      '--label',
      'extender only',
      '--user',
      'root',
      '--limit-to',
      '.*/rest/extender/.*',
    ]);
    rootNamesCheck = createTokenWithCli(dir.path, [
      '--label',
      'check only',
      '--user',
      'root',
      '--limit-to',
      '[POST].*/rest/extender/1\\.0/tokenTools/check',
    ]);
    rootNamesSet = createTokenWithCli(dir.path, [
      '--label',
      'names set',
      '--user',
      'root',
      '--limit-to',
      '.*/rest/extender/1.0/tokenTools/set',
    ]);
    unbound = createTokenWithCli(dir.path, ['--label', 'anyone']);
    bobFull = createTokenWithCli(dir.path, ['--label', 'bob full', '--user', 'bob']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({ dataDir: dir.path, upstream: upstream.url });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('a restricted token cannot mint an unrestricted one, whatever its regexes say', async () => {
    for (const token of [rootExtender, rootNamesSet]) {
      const minted = await call(basic('root', token.token), 'POST', `${TOOLS}/set`, { label: 'x', limitTo: '' });
      assert.equal(minted.status, 403, JSON.stringify(minted.body));
      assert.match(minted.body.message ?? '', /restricted token cannot call tokenTools\/set/);
    }
    const listed = await call(basic('root', rootExtender.token), 'GET', `${TOOLS}/get`);
    assert.equal(listed.status, 403);
    const settings = await call(basic('root', rootExtender.token), 'POST', `${TOOLS}/set`, { auditLog: false });
    assert.equal(settings.status, 403);
    const deleted = await call(basic('root', rootExtender.token), 'DELETE', `${TOOLS}/delete`, { id: rootFull.id });
    assert.equal(deleted.status, 403);
    // a broad rule does not name a read-only endpoint either
    const check = await call(basic('root', rootExtender.token), 'POST', `${TOOLS}/check`, {
      limitTo: '',
      method: 'GET',
      url: '/rest/api/space',
    });
    assert.equal(check.status, 403);
    assert.match(check.body.message ?? '', /only when the rule that allows the call names it/);
    // nothing was created: root still has exactly the tokens made above
    const all = await call(basic('root', rootFull.token), 'GET', `${TOOLS}/get`);
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 6);
    // the token still does what it was made for
    const extender = await call(basic('root', rootExtender.token), 'GET', '/rest/extender/1.0/getUserDetails');
    assert.equal(extender.status, 200);
  });

  test('a rule naming a read-only endpoint grants that endpoint only', async () => {
    const check = await call(basic('root', rootNamesCheck.token), 'POST', `${TOOLS}/check`, {
      limitTo: '[GET].*/rest/api/space.*',
      method: 'GET',
      url: '/rest/api/space',
    });
    assert.equal(check.status, 200, JSON.stringify(check.body));
    assert.equal(check.body.allowed, true);
    const set = await call(basic('root', rootNamesCheck.token), 'POST', `${TOOLS}/set`, { label: 'x' });
    assert.equal(set.status, 403);
  });

  test('an unbound token never uses the admin API, even as an administrator', async () => {
    for (const [method, path, body] of [
      ['GET', `${TOOLS}/get`, undefined],
      ['POST', `${TOOLS}/set`, { authType: 'both' }],
      ['POST', `${TOOLS}/set`, { label: 'escalated', userName: 'root' }],
      ['GET', `${TOOLS}/settings`, undefined],
    ] as const) {
      const answer = await call(basic('root', unbound.token), method, path, body);
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.match(answer.body.message ?? '', /unbound token cannot use the admin API/);
      assert.doesNotMatch(JSON.stringify(answer.body), /tgp_/);
    }
    // it still works for the REST API it fronts
    assert.equal((await call(basic('root', unbound.token), 'GET', '/rest/api/space')).status, 200);
  });

  test('an unrestricted token bound to its user keeps its user\u2019s rights', async () => {
    const created = await call(basic('root', rootFull.token), 'POST', `${TOOLS}/set`, {
      label: 'made by root',
      userName: 'bob',
    });
    assert.equal(created.status, 200);
    const settings = await call(basic('root', rootFull.token), 'POST', `${TOOLS}/set`, { usageDetails: true });
    assert.equal(settings.status, 200);
    const mine = await call(basic('bob', bobFull.token), 'POST', `${TOOLS}/set`, { label: 'bob own' });
    assert.equal(mine.status, 200);
    assert.equal((mine.body as { user?: string }).user, 'bob');
  });

  test('a non-admin cannot choose a secret: no "already in use" oracle', async () => {
    for (const value of [rootFull.token, 'a-fresh-value-nobody-uses-123']) {
      const answer = await call(basic('bob', bobFull.token), 'POST', `${TOOLS}/set`, { label: 'guess', token: value });
      assert.equal(answer.status, 403);
      assert.match(answer.body.message ?? '', /only administrators can choose/);
    }
  });

  test('deleting another user\u2019s token id answers exactly like an unknown id', async () => {
    const others = await call(basic('bob', bobFull.token), 'DELETE', `${TOOLS}/delete`, { id: rootFull.id });
    const unknown = await call(basic('bob', bobFull.token), 'DELETE', `${TOOLS}/delete`, {
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    assert.equal(others.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(
      others.body.message?.replace(rootFull.id, 'ID'),
      unknown.body.message?.replace('AAAAAAAAAAAAAAAAAAAAAA', 'ID'),
    );
    // and root's token was not deleted
    assert.equal((await call(basic('root', rootFull.token), 'GET', `${TOOLS}/settings`)).status, 200);
  });
});
