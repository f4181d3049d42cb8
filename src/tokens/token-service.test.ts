import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../http/http-error.js';
import { DAY_MS } from './expiry.js';
import { hasValidChecksum } from './secret.js';
import { addUsers, harness, user } from './token-service.test-helpers.js';

function httpError(status: number, pattern: RegExp) {
  return (err: unknown) => err instanceof HttpError && err.status === status && pattern.test(err.message);
}

const admin = user('Admin', true);
const alice = user('Alice');
const bob = user('bob');

describe('create', () => {
  test('an admin creates a bound token: generated secret, digest stored, sealed secret, id not derived from the secret', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice);
    const { record, secret } = await h.tokens.create({ label: '  ci pipeline  ', userName: 'ALICE' }, admin);
    assert.ok(hasValidChecksum(secret));
    assert.equal(record.label, 'ci pipeline');
    assert.equal(record.user, 'Alice', 'stored with the display spelling');
    assert.equal(record.author, 'Admin');
    assert.equal(record.digest, h.digest(secret));
    assert.match(record.id, /^[A-Za-z0-9_-]{22}$/);
    assert.ok(!secret.includes(record.id) && !record.id.includes(secret.slice(4, 12)));
    assert.match(record.secretCiphertext ?? '', /^v1\./);
    assert.ok(!(record.secretCiphertext ?? '').includes(secret));
    assert.deepEqual([record.counter, record.ip, record.lastUsed, record.validUntil], [0, null, 0, 0]);
    assert.equal(record.dateCreated, 1_700_000_000_000);
    assert.deepEqual(await h.store.findTokenById(record.id), record);
  });

  test('an admin may leave the token unbound; a non-admin gets a token bound to themselves', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice);
    assert.equal((await h.tokens.create({ label: 'anyone', userName: '' }, admin)).record.user, null);
    assert.equal((await h.tokens.create({ label: 'mine' }, alice)).record.user, 'Alice');
    assert.equal((await h.tokens.create({ label: 'mine too', userName: 'alice' }, alice)).record.user, 'Alice');
  });

  test('a non-admin cannot create a token for someone else (403); unknown users are 404; disabled 400', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice, bob, user('gone', false, false));
    await assert.rejects(h.tokens.create({ label: 'x', userName: 'bob' }, alice), httpError(403, /only for yourself/));
    await assert.rejects(
      h.tokens.create({ label: 'x', userName: 'nobody' }, admin),
      httpError(404, /"nobody" does not exist/),
    );
    await assert.rejects(h.tokens.create({ label: 'x', userName: 'gone' }, admin), httpError(400, /disabled/));
    await assert.rejects(h.tokens.create({ label: 'x' }, user('ghost', true, false)), httpError(403, /disabled/));
    assert.equal(h.store.tokens.size, 0);
  });

  test('label is required, 1–255 characters, no control characters', async () => {
    const h = harness();
    for (const label of [undefined, null, '', '   ']) {
      await assert.rejects(h.tokens.create({ label }, admin), httpError(400, /label is required/));
    }
    await assert.rejects(h.tokens.create({ label: 42 }, admin), httpError(400, /label must be a string/));
    await assert.rejects(h.tokens.create({ label: 'x'.repeat(256) }, admin), httpError(400, /at most 255/));
    await assert.rejects(h.tokens.create({ label: 'two\nlines' }, admin), httpError(400, /control characters/));
    assert.equal((await h.tokens.create({ label: 'é'.repeat(255) }, admin)).record.label.length, 255);
  });

  test('expiry: days → validUntil with the injected clock; expired flag follows the clock', async () => {
    const h = harness({ now: 1_000_000 });
    const { record } = await h.tokens.create({ label: 'x', daysUntilExpiry: 2 }, admin);
    assert.equal(record.validUntil, 1_000_000 + 2 * DAY_MS);
    assert.equal(h.tokens.toPublicView(record, { includeSecret: false }).expired, false);
    h.setNow(1_000_000 + 2 * DAY_MS - 1);
    assert.equal(h.tokens.toPublicView(record, { includeSecret: false }).expired, false);
    h.setNow(1_000_000 + 2 * DAY_MS);
    assert.equal(h.tokens.toPublicView(record, { includeSecret: false }).expired, true);
    assert.equal(
      (await h.tokens.create({ label: 'y', daysUntilExpiry: '30' }, admin)).record.validUntil,
      1_000_000 + 2 * DAY_MS + 30 * DAY_MS,
    );
    assert.equal((await h.tokens.create({ label: 'z', daysUntilExpiry: 0 }, admin)).record.validUntil, 0);
    for (const bad of [-1, 1.5, 'ten', '1e3', true, {}]) {
      await assert.rejects(
        h.tokens.create({ label: 'bad', daysUntilExpiry: bad }, admin),
        httpError(400, /whole number of days/),
        String(bad),
      );
    }
  });

  test('maxExpiryDays refuses longer and never-expiring tokens', async () => {
    const h = harness({ maxExpiryDays: 90 });
    assert.ok((await h.tokens.create({ label: 'ok', daysUntilExpiry: 90 }, admin)).record.validUntil > 0);
    await assert.rejects(h.tokens.create({ label: 'long', daysUntilExpiry: 91 }, admin), httpError(400, /at most 90/));
    await assert.rejects(
      h.tokens.create({ label: 'never' }, admin),
      httpError(400, /must expire on this server: set daysUntilExpiry from 1 to 90/),
    );
    await assert.rejects(h.tokens.create({ label: 'zero', daysUntilExpiry: 0 }, admin), httpError(400, /must expire/));
  });

  test('limitTo is parsed, refused with the parser message, and stored normalised with \\n', async () => {
    const h = harness();
    const { record } = await h.tokens.create(
      { label: 'x', limitTo: '[get].*/rest/api/space.*<br>[POST].*/rest/api/content/?[JsonData::type==page]' },
      admin,
    );
    assert.equal(record.limitTo.split('\n').length, 2);
    assert.ok(!record.limitTo.includes('<br>'));
    const view = h.tokens.toPublicView(record, { includeSecret: false });
    assert.equal(view.limitTo, record.limitTo.split('\n').join('<br>'));
    await assert.rejects(
      h.tokens.create({ label: 'bad', limitTo: '[GET].*(unclosed' }, admin),
      httpError(400, /^limitTo: line 1, column \d+: /),
    );
    await assert.rejects(
      h.tokens.create({ label: 'bad', limitTo: 5 }, admin),
      httpError(400, /limitTo must be a string/),
    );
    assert.equal((await h.tokens.create({ label: 'none', limitTo: '' }, admin)).record.limitTo, '');
  });

  test('custom secrets: validated, accepted, and a value in use is 409 without saying whose', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice, bob);
    const custom = 'my-own-secret-value-1234';
    const { secret, record } = await h.tokens.create({ label: 'custom', token: custom, userName: 'alice' }, admin);
    assert.equal(secret, custom);
    assert.equal(record.digest, h.digest(custom));
    // a non-admin may not choose a value at all (a 409 would be an oracle for others' secrets)
    await assert.rejects(
      h.tokens.create({ label: 'mine', token: 'another-secret-value-5678' }, bob),
      httpError(403, /only administrators can choose/),
    );
    await assert.rejects(
      h.tokens.create({ label: 'again', token: custom }, bob),
      httpError(403, /only administrators/),
    );
    const refusal = await h.tokens.create({ label: 'again', token: custom }, admin).then(
      () => assert.fail('expected 409'),
      (err: unknown) => err,
    );
    assert.ok(refusal instanceof HttpError && refusal.status === 409);
    assert.equal(refusal.message, 'this token value is already in use');
    await assert.rejects(h.tokens.create({ label: 'short', token: 'short' }, admin), httpError(400, /at least 16/));
    await assert.rejects(
      h.tokens.create({ label: 'space', token: 'has a space in it!!' }, admin),
      httpError(400, /whitespace/),
    );
    await assert.rejects(
      h.tokens.create({ label: 'num', token: 1234567890123456 }, admin),
      httpError(400, /token must be a string/),
    );
  });
});

describe('list, get, delete', () => {
  test('admins see every token, others only their own; get/delete of another user\u2019s token answers like an unknown id (404)', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice, bob);
    const a = (await h.tokens.create({ label: 'a' }, alice)).record;
    h.setNow(1_700_000_000_001);
    const b = (await h.tokens.create({ label: 'b' }, bob)).record;
    const u = (await h.tokens.create({ label: 'unbound' }, admin)).record;
    assert.deepEqual((await h.tokens.list(admin)).map((t) => t.label).sort(), ['a', 'b', 'unbound']);
    assert.deepEqual(
      (await h.tokens.list(alice)).map((t) => t.label),
      ['a'],
    );
    assert.equal((await h.tokens.get(a.id, alice)).id, a.id);
    await assert.rejects(h.tokens.get(b.id, alice), httpError(404, new RegExp(`^no token with id "${b.id}"$`)));
    await assert.rejects(h.tokens.get(u.id, alice), httpError(404, new RegExp(`^no token with id "${u.id}"$`)));
    await assert.rejects(h.tokens.get('nope', admin), httpError(404, /no token with id "nope"/));
    await assert.rejects(h.tokens.get('', admin), httpError(400, /id is required/));
    await assert.rejects(h.tokens.delete(b.id, alice), httpError(404, new RegExp(`^no token with id "${b.id}"$`)));
    assert.equal((await h.tokens.delete(a.id, alice)).label, 'a');
    await assert.rejects(h.tokens.delete(a.id, alice), httpError(404, /no token/));
    assert.equal((await h.tokens.delete(b.id, admin)).label, 'b');
    assert.equal(h.store.tokens.size, 1);
  });
});

describe('reveal and the public view', () => {
  test('standard mode: an admin sees the secret again; a non-admin is refused; never the digest', async () => {
    const h = harness();
    await addUsers(h.store, admin, alice);
    const { record, secret } = await h.tokens.create({ label: 'x', userName: 'alice' }, admin);
    assert.equal(await h.tokens.reveal(record.id, admin), secret);
    await assert.rejects(h.tokens.reveal(record.id, alice), httpError(403, /only administrators/));
    const view = h.tokens.toPublicView(record, { includeSecret: true });
    assert.equal(view.token, secret);
    assert.deepEqual(Object.keys(view).sort(), [
      'author',
      'counter',
      'dateCreated',
      'expired',
      'id',
      'ip',
      'label',
      'lastUsed',
      'limitTo',
      'token',
      'user',
      'validUntil',
    ]);
    assert.ok(!JSON.stringify(view).includes(record.digest));
    assert.equal('token' in h.tokens.toPublicView(record, { includeSecret: false }), false);
  });

  test('secure mode: nothing is kept; reveal is 409; the view never has the secret', async () => {
    const h = harness({ secureMode: true });
    const { record, secret } = await h.tokens.create({ label: 'x' }, admin);
    assert.equal(record.secretCiphertext, null);
    await assert.rejects(
      h.tokens.reveal(record.id, admin),
      httpError(409, /^secure mode: secrets are shown only once, at creation$/),
    );
    assert.equal('token' in h.tokens.toPublicView(record, { includeSecret: true }), false);
    assert.ok(!JSON.stringify(h.store.tokens.get(record.id)).includes(secret));
  });

  test('a wiped secret (secure mode was on) cannot be revealed in standard mode', async () => {
    const h = harness();
    const { record } = await h.tokens.create({ label: 'x' }, admin);
    await h.store.wipeSecrets();
    const wiped = await h.tokens.get(record.id, admin);
    await assert.rejects(h.tokens.reveal(wiped.id, admin), httpError(409, /not kept/));
    assert.equal('token' in h.tokens.toPublicView(wiped, { includeSecret: true }), false);
  });

  test('a sealed secret copied to another token does not open there', async () => {
    const h = harness();
    const one = (await h.tokens.create({ label: 'one' }, admin)).record;
    const two = (await h.tokens.create({ label: 'two' }, admin)).record;
    h.store.tokens.set(two.id, { ...two, secretCiphertext: one.secretCiphertext });
    await assert.rejects(h.tokens.reveal(two.id, admin), httpError(500, /cannot be decrypted/));
  });
});
