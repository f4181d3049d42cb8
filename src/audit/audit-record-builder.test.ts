import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../store/models.js';
import {
  type AuditRecordInput,
  adminAuditRecord,
  createAuditRecordBuilder,
  FIELD_LIMITS,
} from './audit-record-builder.js';
import { unescapeControl } from './sanitize.js';

const SECRET = 'tgp_9fKq2LmZx7RwT4vB1nC8dE3gH6jP0sUy_a1b2';

function input(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    time: 1_714_521_600_000,
    tokenId: 'tok_1',
    tokenLabel: 'ci deploy',
    user: 'bob',
    authMethod: 'basic',
    method: 'GET',
    path: '/rest/api/space',
    rawQuery: 'limit=10',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '10.0.0.7',
    userAgent: 'curl/8.5.0',
    durationMs: 12.4,
    secret: SECRET,
    ...overrides,
  };
}

const build = createAuditRecordBuilder({ node: 'node-a', redactParams: ['pin'] });

/** Every string in the record, for "never appears" checks. */
function strings(record: AuditRecord): string[] {
  return Object.values(record).filter((v): v is string => typeof v === 'string');
}

test('a plain call becomes a record with the same facts', () => {
  const r = build(input());
  assert.deepEqual(r, {
    time: 1_714_521_600_000,
    tokenId: 'tok_1',
    tokenLabel: 'ci deploy',
    user: 'bob',
    authMethod: 'basic',
    method: 'GET',
    path: '/rest/api/space',
    query: 'limit=10',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '10.0.0.7',
    userAgent: 'curl/8.5.0',
    durationMs: 12,
    node: 'node-a',
  });
});

test('the presented secret never appears, wherever the client put it', () => {
  const b64 = Buffer.from(`bob:${SECRET}`).toString('base64');
  const r = build(
    input({
      // "header": the user agent carries the secret, a copied Basic header and an encoded copy
      userAgent: `curl/8 ${SECRET} Basic ${b64} ${encodeURIComponent(SECRET).replace('_', '%5F')}`,
      // query: under an innocent name and percent-encoded
      rawQuery: `q=${SECRET}&x=${SECRET.replace('q', '%71')}&password=${SECRET}`,
      // path: in a segment
      path: `/rest/api/content/${SECRET}/child`,
      // body-derived reason: a JsonData rule quoting the body
      reason: `body field $.note = "${SECRET}" is not allowed`,
      // a client that sends the token as the username too
      user: SECRET,
      tokenLabel: null,
      decision: 'denied',
    }),
  );
  for (const value of strings(r)) {
    assert.equal(value.includes(SECRET), false, value);
    assert.equal(value.includes(Buffer.from(SECRET).toString('base64').slice(0, 16)), false, value);
    assert.equal(value.includes(SECRET.slice(4, 20)), false, `a large piece of the secret survived: ${value}`);
  }
  assert.match(r.reason, /\[REDACTED\]/);
  assert.equal(r.user, '[REDACTED]');
  assert.equal(r.path, '/rest/api/content/[REDACTED]/child');
});

test('a secret is scrubbed before truncation, so no prefix of it is left at the cut', () => {
  const ua = 'x'.repeat(FIELD_LIMITS.userAgent - 10) + SECRET;
  const r = build(input({ userAgent: ua }));
  assert.ok(r.userAgent.length <= FIELD_LIMITS.userAgent);
  assert.equal(r.userAgent.includes(SECRET.slice(0, 6)), false, r.userAgent);
});

test('sensitive query values are redacted, configured names too', () => {
  const r = build(input({ rawQuery: 'spaceKey=DEV&os_password=hunter2&PIN=1234&token=abc', secret: null }));
  assert.equal(r.query, 'spaceKey=DEV&os_password=[REDACTED]&PIN=[REDACTED]&token=[REDACTED]');
});

test('control characters are escaped in every field: a user agent cannot forge a line', () => {
  const r = build(
    input({
      userAgent: 'evil\r\n{"decision":"allowed"}\u2028\u001b[2J',
      reason: 'bad\nline',
      path: '/rest/a\u0085b',
      user: 'bo\rb',
      tokenLabel: 'l\u2029',
      clientIp: '1.2.3.4\n',
      method: 'G\nET',
    }),
  );
  for (const value of strings(r)) assert.doesNotMatch(value, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  assert.equal(unescapeControl(r.userAgent), 'evil\r\n{"decision":"allowed"}\u2028\u001b[2J');
  assert.equal(r.reason, 'bad\\x0aline');
});

test('long values are truncated to the documented limits', () => {
  const r = build(
    input({
      userAgent: 'u'.repeat(10_000),
      reason: 'r'.repeat(10_000),
      path: `/${'p'.repeat(10_000)}`,
      rawQuery: `a=${'q'.repeat(10_000)}`,
      secret: null,
    }),
  );
  assert.equal(r.userAgent.length, 256);
  assert.equal(r.reason.length, 512);
  assert.equal(r.path.length, 2048);
  assert.equal(r.query.length, 2048);
  assert.ok(r.userAgent.endsWith('…'));
  // escaping happens before truncation: the limit holds for escaped text too
  const esc = build(input({ userAgent: '\n'.repeat(1000), secret: null }));
  assert.ok(esc.userAgent.length <= 256);
  assert.match(esc.userAgent, /^(\\x0a)+…$/);
});

test('numbers are normalised: duration rounded and never negative, bad status becomes null', () => {
  const r = build(input({ durationMs: -5, upstreamStatus: Number.NaN, time: 1.7 }));
  assert.equal(r.durationMs, 0);
  assert.equal(r.upstreamStatus, null);
  assert.equal(r.time, 2);
});

test('unauthenticated calls without token or user are recorded with nulls', () => {
  const r = build(
    input({ tokenId: null, tokenLabel: null, user: null, authMethod: null, decision: 'unauthenticated', secret: null }),
  );
  assert.equal(r.tokenId, null);
  assert.equal(r.user, null);
  assert.equal(r.authMethod, null);
  assert.equal(r.decision, 'unauthenticated');
});

test('adminAuditRecord: decision admin, the actor as user, every secret scrubbed', () => {
  const created = 'tgp_NEWTOKENvalue1234567890abcdef_zz';
  const r = adminAuditRecord(build, {
    time: 5,
    actor: 'admin',
    authMethod: 'basic',
    method: 'POST',
    path: '/rest/extender/1.0/tokenTools/create',
    action: `token created: "ci" for bob (${created})`,
    tokenId: 'tok_9',
    tokenLabel: 'ci',
    clientIp: '10.0.0.1',
    userAgent: `script ${SECRET}`,
    secret: SECRET,
    extraSecrets: [created],
  });
  assert.equal(r.decision, 'admin');
  assert.equal(r.user, 'admin');
  assert.equal(r.tokenId, 'tok_9');
  for (const value of strings(r)) {
    assert.equal(value.includes(SECRET), false);
    assert.equal(value.includes(created), false);
  }
  assert.equal(r.reason, 'token created: "ci" for bob ([REDACTED])');
});

test('remembered results never cross secrets: every record equals one built by a fresh builder', () => {
  const shared = createAuditRecordBuilder({ node: 'node-a', redactParams: ['pin'] });
  const secrets = Array.from({ length: 20 }, (_, i) => `tgp_memo${i}_${'x'.repeat(24)}`);
  for (let round = 0; round < 3; round++) {
    for (const [i, secret] of secrets.entries()) {
      for (const other of [secret, secrets[(i + 1) % secrets.length] as string]) {
        // the same field values under different secrets: what is scrubbed depends on the secret
        const call = input({
          secret,
          userAgent: `agent ${other}`,
          path: `/rest/api/${other}`,
          rawQuery: `q=${other}&pin=1`,
          reason: round === 1 ? `line ${i}` : '',
        });
        const fresh = createAuditRecordBuilder({ node: 'node-a', redactParams: ['pin'] })(call);
        const record = shared(call);
        assert.deepEqual(record, fresh);
        assert.ok(!strings(record).some((s) => s.includes(secret)), 'the presented secret is scrubbed');
      }
    }
  }
});
