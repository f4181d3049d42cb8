/**
 * Black-box: a real `tokengate serve` (SQLite), a real upstream, tokens made with the CLI and the
 * admin API. Rate limits (429 with Retry-After and RateLimit-* headers), quotas (exact under 100
 * concurrent calls), IP allow lists (a client bound to 127.0.0.2 is refused, 127.0.0.1 passes), and
 * each refusal in the audit log.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { eventually } from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';

const TOOLS = '/rest/extender/1.0/tokenTools';

/** A GET sent from the local address `from` (another loopback address is another client). */
function getFrom(
  url: string,
  from: string,
  auth: string,
): Promise<{ status: number; json: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from, headers: { authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits out the end of the current hour when it is near, so an hourly window holds for a scenario. */
async function awayFromHourBoundary(): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('token policy: rate limits, quotas, IP allow lists', () => {
  let admin: { id: string; token: string };
  let limited: { id: string; token: string };
  let local: { id: string; token: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
      limited = b.createToken(['--label', 'three an hour', '--user', 'ansible', '--rate-limit', '3/hour']);
      local = b.createToken([
        '--label',
        'loopback one',
        '--user',
        'ansible',
        '--allowed-ips',
        '127.0.0.1, 10.0.0.0/8\n2001:db8::/32',
      ]);
    },
  });

  /** Makes a token of ansible's with `fields` (label and policy), then sends it 100 calls at once. */
  async function hundredConcurrentCalls(fields: Record<string, unknown>) {
    const created = await call(box.url, `${TOOLS}/set`, {
      auth: basic('root', admin.token),
      body: { userName: 'ansible', ...fields },
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const tokenAuth = basic('ansible', created.json.token);
    await box.upstream.clear();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => call(box.url, '/rest/api/space', { auth: tokenAuth })),
    );
    return { created, tokenAuth, results, statuses: results.map((r) => r.status) };
  }

  test('the 4th call of a 3/hour token is 429 with Retry-After and RateLimit-* headers, and recorded', async () => {
    await awayFromHourBoundary();
    const auth = basic('ansible', limited.token);
    for (let i = 1; i <= 3; i++) {
      const ok = await call(box.url, '/rest/api/space', { auth });
      assert.equal(ok.status, 200, `call ${i}`);
      assert.equal(ok.headers.get('ratelimit-limit'), '3');
      assert.equal(ok.headers.get('ratelimit-remaining'), String(3 - i));
    }
    const refused = await call(box.url, '/rest/api/space', { auth });
    assert.equal(refused.status, 429);
    assert.equal(refused.json.code, 'rate_limited');
    assert.match(refused.json.message, /rate limit of 3\/hour/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers.get('ratelimit-limit'), '3');
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.equal(refused.headers.get('ratelimit-reset'), String(retryAfter));

    await eventually('the 429 in the audit log', 5000, async () => {
      const audit = await call(box.url, `${TOOLS}/audit?tokenId=${limited.id}`, { auth: basic('root', admin.token) });
      const entries = audit.json.entries as { decision: string; reason: string }[];
      return entries.some((e) => e.decision === 'refused' && /rate limit of 3\/hour/.test(e.reason));
    });
  });

  test('rateLimit and quota are shown by tokenTools/get, with the remaining quota', async () => {
    const auth = basic('root', admin.token);
    const created = await call(box.url, `${TOOLS}/set`, {
      auth,
      body: { label: 'shown', userName: 'ansible', rateLimit: '50/Minute', quota: 7, allowedIps: '::1' },
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.rateLimit, '50/minute');
    assert.equal(created.json.quota, 7);
    assert.equal(created.json.quotaRemaining, 7);
    assert.equal(created.json.allowedIps, '::1');
    const listed = await call(box.url, `${TOOLS}/get?maxResults=1000`, { auth });
    const view = (listed.json.tokens as { id: string }[]).find((t) => t.id === created.json.id);
    assert.deepEqual(
      { ...view, dateCreated: 0, validUntil: 0, lastUsed: 0 },
      { ...view, dateCreated: 0, validUntil: 0, lastUsed: 0, rateLimit: '50/minute', quota: 7, quotaRemaining: 7 },
    );
  });

  test('a quota of 40 lets exactly 40 of 100 concurrent calls through; the rest are 403 quota_exhausted', async () => {
    const auth = basic('root', admin.token);
    const { created, results, statuses } = await hundredConcurrentCalls({ label: 'forty', quota: 40 });
    assert.equal(statuses.filter((s) => s === 200).length, 40, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 403).length, 60);
    for (const r of results.filter((x) => x.status === 403)) {
      assert.equal(r.json.code, 'quota_exhausted');
      assert.match(r.json.message, /used its quota of 40 calls/);
    }
    assert.equal((await box.upstream.records()).length, 40, 'only the admitted calls reached the upstream');
    const listed = await call(box.url, `${TOOLS}/get?maxResults=1000`, { auth });
    const view = (listed.json.tokens as { id: string; quotaRemaining: number }[]).find((t) => t.id === created.json.id);
    assert.equal(view?.quotaRemaining, 0);
    await eventually('the 60 refusals in the audit log', 5000, async () => {
      const audit = await call(box.url, `${TOOLS}/audit?tokenId=${created.json.id}&decision=refused&maxResults=100`, {
        auth,
      });
      const entries = audit.json.entries as { reason: string }[];
      return entries.length === 60 && entries.every((e) => /used its quota of 40 calls/.test(e.reason));
    });
  });

  test('a rate limit of 30/hour lets exactly 30 of 100 concurrent calls through; the rest are 429', async () => {
    await awayFromHourBoundary();
    // concurrent calls of one window are counted together (one statement per batch): still exact
    const { tokenAuth, results, statuses } = await hundredConcurrentCalls({
      label: 'thirty an hour',
      rateLimit: '30/hour',
    });
    assert.equal(statuses.filter((s) => s === 200).length, 30, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 70);
    assert.equal((await box.upstream.records()).length, 30, 'only the admitted calls reached the upstream');
    const remaining = results
      .filter((r) => r.status === 200)
      .map((r) => Number(r.headers.get('ratelimit-remaining')))
      .sort((a, b) => a - b);
    assert.deepEqual(
      remaining,
      Array.from({ length: 30 }, (_, i) => i),
      'each admitted call got its own count',
    );
    const after = await call(box.url, '/rest/api/space', { auth: tokenAuth });
    assert.equal(after.status, 429, 'the window stays used up');
  });

  test('a call from 127.0.0.2 is 403 naming that address (never the list); from 127.0.0.1 it is 200', async () => {
    const auth = basic('ansible', local.token);
    const outside = await getFrom(`${box.url}/rest/api/space`, '127.0.0.2', auth);
    assert.equal(outside.status, 403);
    assert.equal(outside.json.code, 'address_not_allowed');
    assert.match(outside.json.message, /127\.0\.0\.2/);
    assert.doesNotMatch(outside.json.message, /10\.0\.0\.0|2001:db8|127\.0\.0\.1/);
    const inside = await call(box.url, '/rest/api/space', { auth });
    assert.equal(inside.status, 200);

    await eventually('the refusal in the audit log', 5000, async () => {
      const audit = await call(box.url, `${TOOLS}/audit?tokenId=${local.id}`, { auth: basic('root', admin.token) });
      const entries = audit.json.entries as { decision: string; reason: string; clientIp: string }[];
      return entries.some((e) => e.decision === 'refused' && e.clientIp === '127.0.0.2');
    });
  });

  test('bad policy fields are refused with a 400 naming the field', async () => {
    const auth = basic('root', admin.token);
    for (const [field, value, pattern] of [
      ['rateLimit', '10/week', /rateLimit/],
      ['rateLimit', '0/second', /rateLimit/],
      ['quota', -1, /quota/],
      ['quota', 1.5, /quota/],
      ['allowedIps', '10.0.0.0/33', /allowedIps: "10\.0\.0\.0\/33"/],
      ['allowedIps', 'example.com', /allowedIps/],
    ] as const) {
      const answer = await call(box.url, `${TOOLS}/set`, { auth, body: { label: 'bad', [field]: value } });
      assert.equal(answer.status, 400, `${field}=${value}: ${JSON.stringify(answer.json)}`);
      assert.equal(answer.json.code, 'invalid_input');
      assert.match(answer.json.message, pattern);
    }
  });
});
