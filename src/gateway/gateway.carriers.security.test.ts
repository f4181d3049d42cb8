/**
 * Black-box (issue 14): the request's other carriers of meaning — form and multipart bodies,
 * `Expect: 100-continue`, an upstream that breaks off, refusals before the canonical request —
 * against the real server, a real recording upstream and the real database.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
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

/** Writes `head` (and later `body`) on one connection; resolves with everything read until close or `waitMs`. */
function exchange(port: number, head: string, body = '', bodyAfterMs = -1, waitMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, waitMs);
    socket.write(head);
    if (bodyAfterMs < 0) socket.write(body);
    else setTimeout(() => socket.write(body), bodyAfterMs);
  });
}

function postHead(target: string, auth: string, contentType: string, length: number, extra = ''): string {
  return `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\nConnection: close\r\n${extra}\r\n`;
}

describe('gateway: bodies, framing and refusals (issue 14)', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let pm: { id: string; token: string };
  let wide: { id: string; token: string };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'alice'], { dataDir: dir.path }).status, 0);
    pm = createTokenWithCli(dir.path, [
      '--label',
      'pm',
      '--user',
      'alice',
      '--limit-to',
      '[POST].*/rest/api/content[QueryParam::spaceKey==PM]',
    ]);
    wide = createTokenWithCli(dir.path, ['--label', 'wide', '--user', 'alice', '--limit-to', '.*/rest/.*']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_AUTH_FAILURE_LIMIT: '1000' },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  const pmAuth = () => basic('alice', pm.token);
  const wideAuth = () => basic('alice', wide.token);

  test('a form body parameter is judged with the query: spaceKey=OTHER in the body is denied', async () => {
    await upstream.clear();
    const form = 'spaceKey=OTHER';
    const answer = await exchange(
      gate.port,
      postHead('/rest/api/content?spaceKey=PM', pmAuth(), 'application/x-www-form-urlencoded', form.length),
      form,
    );
    assert.match(answer, /^HTTP\/1\.1 403/);
    assert.match(answer, /"code":"request_denied"/);
    assert.deepEqual(await upstream.records(), []);
  });

  test('the same in a multipart body is denied; a matching one passes with the exact bytes', async () => {
    await upstream.clear();
    const part = (value: string) =>
      `--XX\r\nContent-Disposition: form-data; name="spaceKey"\r\n\r\n${value}\r\n--XX--\r\n`;
    const denied = await exchange(
      gate.port,
      postHead('/rest/api/content?spaceKey=PM', pmAuth(), 'multipart/form-data; boundary=XX', part('OTHER').length),
      part('OTHER'),
    );
    assert.match(denied, /^HTTP\/1\.1 403/);
    const allowed = await exchange(
      gate.port,
      postHead('/rest/api/content?spaceKey=PM', pmAuth(), 'multipart/form-data; boundary=XX', part('PM').length),
      part('PM'),
    );
    assert.match(allowed, /^HTTP\/1\.1 200/);
    const records = await upstream.records();
    assert.equal(records.length, 1);
    assert.equal(records[0]?.body, part('PM'));
  });

  test('a parameter only in the body does not satisfy a rule (the upstream may not read the body)', async () => {
    const form = 'spaceKey=PM';
    const answer = await exchange(
      gate.port,
      postHead('/rest/api/content', pmAuth(), 'application/x-www-form-urlencoded', form.length),
      form,
    );
    assert.match(answer, /^HTTP\/1\.1 403/);
  });

  test('_method and other overrides in a form body are refused', async () => {
    await upstream.clear();
    for (const form of ['_method=DELETE', 'X-HTTP-Method-Override=DELETE', '%5Fmethod=PUT']) {
      const answer = await exchange(
        gate.port,
        postHead('/rest/api/space', wideAuth(), 'application/x-www-form-urlencoded', form.length),
        form,
      );
      assert.match(answer, /^HTTP\/1\.1 400/, form);
      assert.match(answer, /"code":"method_override_refused"/, form);
    }
    assert.deepEqual(await upstream.records(), []);
  });

  test('Confluence credential parameters in a form body are refused', async () => {
    await upstream.clear();
    for (const form of ['os_username=admin&os_password=x', 'OS_AUTHTYPE=basic']) {
      const answer = await exchange(
        gate.port,
        postHead('/rest/api/space', wideAuth(), 'application/x-www-form-urlencoded', form.length),
        form,
      );
      assert.match(answer, /"code":"credential_parameter_refused"/, form);
    }
    assert.deepEqual(await upstream.records(), []);
  });

  test('a form body larger than the limit is 413; an ambiguous charset is refused', async () => {
    const head = postHead('/rest/api/space', wideAuth(), 'application/x-www-form-urlencoded', 2 * 1024 * 1024);
    assert.match(await exchange(gate.port, head, ''), /^HTTP\/1\.1 413/);
    const form = 'title=%C3%A9';
    const noCharset = await exchange(
      gate.port,
      postHead('/rest/api/space', wideAuth(), 'application/x-www-form-urlencoded', form.length),
      form,
    );
    assert.match(noCharset, /"code":"invalid_form"/);
  });

  test('Expect: 100-continue is not answered for a call that fails authentication or the rules', async () => {
    const form = 'spaceKey=PM';
    const unauthenticated = await exchange(
      gate.port,
      postHead(
        '/rest/api/content?spaceKey=PM',
        basic('alice', 'wrong'),
        'application/json',
        form.length,
        'Expect: 100-continue\r\n',
      ),
      '',
      -1,
      1500,
    );
    assert.doesNotMatch(unauthenticated, /100 Continue/);
    assert.match(unauthenticated, /^HTTP\/1\.1 401/);
    const denied = await exchange(
      gate.port,
      postHead('/rest/api/other', pmAuth(), 'application/json', form.length, 'Expect: 100-continue\r\n'),
      '',
      -1,
      1500,
    );
    assert.doesNotMatch(denied, /100 Continue/);
    assert.match(denied, /^HTTP\/1\.1 403/);
  });

  test('Expect: 100-continue is answered for an allowed call, which then goes through', async () => {
    const body = '{"a":1}';
    const answer = await exchange(
      gate.port,
      postHead('/rest/api/space', wideAuth(), 'application/json', body.length, 'Expect: 100-continue\r\n'),
      body,
      300,
    );
    assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
  });

  test('an upstream that resets mid-body is recorded as an error, not allowed', async () => {
    const response = await fetch(`${gate.url}/rest/test/reset`, { headers: { authorization: wideAuth() } }).then(
      (r) => r.text().catch(() => 'cut'),
      () => 'cut',
    );
    assert.ok(response === 'cut' || !response.endsWith('}'));
    await eventuallyAudit(dir.path, (records) =>
      records.some((r) => r.path === '/rest/test/reset' && r.decision === 'error' && r.upstreamStatus === 200),
    );
  });

  test('a request with a token refused at the canonical-request step is in the audit log, target escaped', async () => {
    for (const target of ['/rest/api/..;/admin', '/rest/api/%2e%2e/admin', '/rest//api/space', '/rest/api/%zz']) {
      const answer = await exchange(
        gate.port,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${wideAuth()}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 400/, target);
    }
    const raw = await exchange(
      gate.port,
      `GET /rest/a\x01b/${'x'.repeat(600)} HTTP/1.1\r\nHost: x\r\nAuthorization: ${wideAuth()}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(raw, /^HTTP\/1\.1 400/);
    await eventuallyAudit(dir.path, (records) => {
      const refused = records.filter((r) => r.decision === 'refused' && r.tokenId === wide.id);
      return ['/rest/api/..;/admin', '/rest/api/%2e%2e/admin', '/rest//api/space', '/rest/api/%zz'].every((p) =>
        refused.some((r) => r.path === p),
      );
    });
  });
});

interface AuditRow {
  path: string;
  decision: string;
  upstreamStatus: number | null;
  tokenId: string | null;
}

async function eventuallyAudit(dataDir: string, check: (records: AuditRow[]) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  for (;;) {
    const result = runCli(['audit', '--json', '--max', '200'], { dataDir });
    last = result.stdout;
    const records = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        const parsed = JSON.parse(line) as AuditRow | AuditRow[];
        return Array.isArray(parsed) ? parsed : [parsed];
      });
    if (check(records)) return;
    if (Date.now() > deadline) assert.fail(`audit log never showed it:\n${last.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
