import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http/http-error.js';
import { MemoryStore } from '../tokens/memory-store.test-helpers.js';
import { UserService } from './user-service.js';

function service() {
  const store = new MemoryStore();
  return { store, users: new UserService({ store: store.asStore() }) };
}

function httpError(status: number, pattern: RegExp) {
  return (err: unknown) => err instanceof HttpError && err.status === status && pattern.test(err.message);
}

test('add: a user with email, display name, admin flag; no password by default', async () => {
  const { users } = service();
  const alice = await users.add({
    username: 'Alice',
    email: ' alice@example.com ',
    displayName: ' Alice A. ',
    admin: true,
  });
  assert.deepEqual(
    { ...alice, dateCreated: 0 },
    {
      username: 'Alice',
      email: 'alice@example.com',
      displayName: 'Alice A.',
      admin: true,
      active: true,
      passwordHash: null,
      dateCreated: 0,
    },
  );
  const bob = await users.add({ username: 'bob' });
  assert.equal(bob.admin, false);
  assert.equal((await users.find('ALICE'))?.username, 'Alice');
  assert.equal((await users.find('Alice@Example.com'))?.username, 'Alice');
  assert.equal((await users.list()).length, 2);
});

test('add: invalid usernames are refused (whitespace, ":", control characters, length)', async () => {
  const { users } = service();
  for (const username of ['', 'a b', 'a:b', 'tab\there', 'nl\n', 'x'.repeat(256), 'zero\u200bwidth', 'nb\u00a0sp']) {
    await assert.rejects(users.add({ username }), httpError(400, /username/), JSON.stringify(username));
  }
  await users.add({ username: 'x'.repeat(255) });
  await users.add({ username: 'jürgen.o\u2019brien@corp' });
});

test('add: invalid emails, display names and short passwords are refused; nothing is created', async () => {
  const { users, store } = service();
  for (const email of ['no-at', 'a@b', 'a b@example.com', 'a:b@example.com', '@example.com']) {
    await assert.rejects(users.add({ username: 'u', email }), httpError(400, /email/), email);
  }
  await assert.rejects(users.add({ username: 'u', displayName: 'bad\u0007' }), httpError(400, /display name/));
  await assert.rejects(users.add({ username: 'u', password: 'short' }), httpError(400, /at least 8/));
  assert.equal(store.users.size, 0);
});

test('add: duplicates are 409, names and emails may not collide across users', async () => {
  const { users } = service();
  await users.add({ username: 'alice', email: 'alice@example.com' });
  await assert.rejects(users.add({ username: 'ALICE' }), httpError(409, /already exists/));
  await assert.rejects(users.add({ username: 'bob', email: 'Alice@example.com' }), httpError(409, /already exists/));
  await assert.rejects(users.add({ username: 'alice@example.com' }), httpError(409, /already exists/));
  await users.add({ username: 'carol', email: 'carol@example.com' });
  await assert.rejects(users.add({ username: 'dave', email: 'carol' }), httpError(400, /email/));
});

test('disable / enable; unknown users are 404', async () => {
  const { users } = service();
  await users.add({ username: 'bob' });
  assert.equal((await users.disable('BOB')).active, false);
  assert.equal((await users.find('bob'))?.active, false);
  assert.equal((await users.enable('bob')).active, true);
  await assert.rejects(users.disable('nobody'), httpError(404, /does not exist/));
  await assert.rejects(users.enable('nobody'), httpError(404, /does not exist/));
});

test('passwords: set, check, remove; a disabled user cannot log in', async () => {
  const { users } = service();
  await users.add({ username: 'carol', email: 'carol@example.com', password: 'first-password' });
  assert.equal((await users.checkPassword('carol', 'first-password'))?.username, 'carol');
  await users.setPassword('carol', 'second-password');
  assert.equal(await users.checkPassword('carol', 'first-password'), undefined);
  assert.equal((await users.checkPassword('carol@example.com', 'second-password'))?.username, 'carol');
  await users.disable('carol');
  assert.equal(await users.checkPassword('carol', 'second-password'), undefined);
  await users.enable('carol');
  await users.setPassword('carol', null);
  assert.equal(await users.checkPassword('carol', 'second-password'), undefined);
  assert.equal(await users.checkPassword('nobody', 'second-password'), undefined);
  await assert.rejects(users.setPassword('carol', '1234'), httpError(400, /at least 8/));
  await assert.rejects(users.setPassword('nobody', '12345678'), httpError(404, /does not exist/));
});
