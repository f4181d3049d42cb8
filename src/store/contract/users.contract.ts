import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateUserError } from '../store.js';
import { type ContractContext, token, unique } from './contract-context.js';

/** Users: case-insensitive names, email lookup, duplicates, active and password updates. */
export function usersContract(ctx: ContractContext): void {
  describe('users', () => {
    test('createUser applies defaults and findUser is case-insensitive', async () => {
      const name = unique('Alice');
      const created = await ctx.store.createUser({ username: name, email: `${name}@Example.org` });
      assert.equal(created.username, name);
      assert.equal(created.admin, false);
      assert.equal(created.active, true);
      assert.equal(created.passwordHash, null);
      assert.equal(created.displayName, null);
      assert.ok(Math.abs(created.dateCreated - Date.now()) < 60_000);
      const found = await ctx.store.findUser(name.toUpperCase());
      assert.deepEqual(found, created);
    });

    test('findUser by email only when byEmailToo; email is case-insensitive', async () => {
      const name = unique('carol');
      const email = `${name}@Example.ORG`;
      await ctx.store.createUser({ username: name, email, displayName: 'Carol C', admin: true });
      assert.equal(await ctx.store.findUser(email.toLowerCase()), undefined);
      const found = await ctx.store.findUser(email.toLowerCase(), true);
      assert.equal(found?.username, name);
      assert.equal(found?.email, email);
      assert.equal(found?.displayName, 'Carol C');
      assert.equal(found?.admin, true);
      assert.equal((await ctx.store.findUser(name, true))?.username, name);
      assert.equal(await ctx.store.findUser('nobody-at-all@example.org', true), undefined);
    });

    test('a username wins over another user whose email is the same text', async () => {
      const name = unique('dave');
      const other = unique('erin');
      await ctx.store.createUser({ username: name });
      await ctx.store.createUser({ username: other, email: name });
      assert.equal((await ctx.store.findUser(name, true))?.username, name);
    });

    test('duplicate username (any case) and duplicate email (any case) are refused', async () => {
      const name = unique('Frank');
      await ctx.store.createUser({ username: name, email: `${name}@x.org` });
      await assert.rejects(ctx.store.createUser({ username: name.toLowerCase() }), (err: unknown) => {
        assert.ok(err instanceof DuplicateUserError);
        assert.match(err.message, /username/);
        return true;
      });
      await assert.rejects(
        ctx.store.createUser({ username: unique('g'), email: `${name.toUpperCase()}@X.ORG` }),
        (err: unknown) => {
          assert.ok(err instanceof DuplicateUserError);
          assert.match(err.message, /email/);
          return true;
        },
      );
    });

    test('several users without email are fine', async () => {
      await ctx.store.createUser({ username: unique('h'), email: null });
      await ctx.store.createUser({ username: unique('h') });
      await ctx.store.createUser({ username: unique('h'), email: '' });
    });

    test('listUsers lists every user', async () => {
      const a = unique('list');
      await ctx.store.createUser({ username: a });
      const names = (await ctx.store.listUsers()).map((u) => u.username);
      assert.ok(names.includes(a));
      assert.deepEqual(
        names,
        [...names].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1)),
      );
    });

    test('setUserActive and setUserPassword update by any case; unknown users give false', async () => {
      const name = unique('Ivan');
      await ctx.store.createUser({ username: name, passwordHash: 'scrypt$old' });
      assert.equal(await ctx.store.setUserActive(name.toUpperCase(), false), true);
      assert.equal((await ctx.store.findUser(name))?.active, false);
      assert.equal(await ctx.store.setUserActive(name, true), true);
      assert.equal((await ctx.store.findUser(name))?.active, true);
      assert.equal(await ctx.store.setUserPassword(name.toLowerCase(), 'scrypt$new'), true);
      assert.equal((await ctx.store.findUser(name))?.passwordHash, 'scrypt$new');
      assert.equal(await ctx.store.setUserPassword(name, null), true);
      assert.equal((await ctx.store.findUser(name))?.passwordHash, null);
      assert.equal(await ctx.store.setUserActive('no-such-user-xyz', false), false);
      assert.equal(await ctx.store.setUserPassword('no-such-user-xyz', 'x'), false);
    });

    test('deleteUser removes the user and only their tokens, by any case; unknown users give undefined', async () => {
      const name = unique('Judy');
      const other = unique('kim');
      await ctx.store.createUser({ username: name });
      await ctx.store.createUser({ username: other });
      const mine = [token({ user: name }), token({ user: name })];
      const theirs = token({ user: other });
      const unbound = token();
      for (const t of [...mine, theirs, unbound]) await ctx.store.insertToken(t);
      const deleted = await ctx.store.deleteUser(name.toUpperCase());
      assert.equal(deleted?.user.username, name);
      assert.deepEqual(deleted?.tokens.map((t) => t.id).sort(), mine.map((t) => t.id).sort());
      assert.equal(await ctx.store.findUser(name), undefined);
      for (const t of mine) assert.equal(await ctx.store.findTokenByDigest(t.digest), undefined);
      assert.equal((await ctx.store.findTokenById(theirs.id))?.id, theirs.id);
      assert.equal((await ctx.store.findTokenById(unbound.id))?.id, unbound.id);
      assert.equal(await ctx.store.deleteUser(name), undefined);
    });
  });
}
