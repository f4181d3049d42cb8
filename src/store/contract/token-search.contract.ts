import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ContractContext, token, unique } from './contract-context.js';

/**
 * Token search and paging in SQL (`Store.pageTokens`): every search plan (the trigram index for 3+
 * characters, its terms by range for 1–2, the ordered scan for a common text) finds exactly the
 * tokens whose label or user contains the text, case-insensitively, with LIKE's wildcards and
 * quotes taken literally; pages read from either end agree. Each test binds its tokens to a user
 * of its own (tests share one database).
 */
export function tokenSearchContract(ctx: ContractContext): void {
  describe('token search', () => {
    const labels = [
      'Deploy CI',
      'backup 50%_off',
      'a_b literal',
      'axb not literal',
      'say "hi" and \'bye\'',
      'café über ÉTÉ',
      'zq',
      'x',
    ];

    let seeded = 0;
    async function seed(): Promise<string> {
      // digits only after the name: the searched texts (x, zq, …) never match the user
      seeded += 1;
      const user = `Searcher${Date.now()}${seeded}`;
      const base = Date.now() - 100_000;
      for (const [i, label] of labels.entries()) {
        await ctx.store.insertToken(token({ user, label, dateCreated: base + i }));
      }
      return user;
    }

    async function found(user: string, search: string): Promise<string[]> {
      const page = await ctx.store.pageTokens({ user, search, startAt: 0, maxResults: 100 });
      assert.equal(page.total, page.tokens.length, `total of "${search}"`);
      assert.equal(page.totalIsLowerBound, false);
      return page.tokens.map((t) => t.label).sort();
    }

    test('1–2 characters, 3+ characters and no match', async () => {
      const user = await seed();
      assert.deepEqual(await found(user, 'zq'), ['zq']);
      assert.deepEqual(await found(user, 'x'), ['axb not literal', 'x']);
      assert.deepEqual(await found(user, 'dep'), ['Deploy CI']);
      assert.deepEqual(await found(user, 'no such text'), []);
    });

    test('1–2 characters anywhere: at the start, inside, at the end, the whole label, the user', async () => {
      const user = `Shorty${Date.now()}`;
      const base = Date.now() - 50_000;
      const short = ['qjstart', 'in qjside', 'endqj', 'QJ', 'Q', 'j', 'none here'];
      for (const [i, label] of short.entries())
        await ctx.store.insertToken(token({ user, label, dateCreated: base + i }));
      const byUser = `${user}qj`;
      await ctx.store.insertToken(token({ user: byUser, label: 'by the user only', dateCreated: base }));
      assert.deepEqual(await found(user, 'qj'), ['QJ', 'endqj', 'in qjside', 'qjstart']);
      assert.deepEqual(await found(user, 'Qj'), ['QJ', 'endqj', 'in qjside', 'qjstart']);
      assert.deepEqual(await found(user, 'q'), ['Q', 'QJ', 'endqj', 'in qjside', 'qjstart']);
      assert.deepEqual(await found(user, 'j '), []);
      assert.deepEqual(await found(user, 'jq'), []);
      assert.deepEqual(await found(byUser, 'qj'), ['by the user only']);
      assert.deepEqual(await found(byUser, 'j'), ['by the user only']);
    });

    test('case-insensitive in both directions', async () => {
      const user = await seed();
      assert.deepEqual(await found(user, 'DEPLOY ci'), ['Deploy CI']);
      assert.deepEqual(await found(user, 'deploy'), ['Deploy CI']);
      assert.deepEqual(await found(user, 'dE'), ['Deploy CI']);
    });

    test('% and _ are literal, short and long', async () => {
      const user = await seed();
      assert.deepEqual(await found(user, '%'), ['backup 50%_off']);
      assert.deepEqual(await found(user, '_'), ['a_b literal', 'backup 50%_off'].sort());
      assert.deepEqual(await found(user, 'a_b'), ['a_b literal']);
      assert.deepEqual(await found(user, '50%_o'), ['backup 50%_off']);
      assert.deepEqual(await found(user, '0%'), ['backup 50%_off']);
    });

    test('double and single quotes', async () => {
      const user = await seed();
      assert.deepEqual(await found(user, '"hi"'), ['say "hi" and \'bye\'']);
      assert.deepEqual(await found(user, "'bye'"), ['say "hi" and \'bye\'']);
      assert.deepEqual(await found(user, '"'), ['say "hi" and \'bye\'']);
      assert.deepEqual(await found(user, `" or 1=1 --`), []);
    });

    test('unicode text is found as written', async () => {
      const user = await seed();
      assert.deepEqual(await found(user, 'café'), ['café über ÉTÉ']);
      assert.deepEqual(await found(user, 'über'), ['café über ÉTÉ']);
      assert.deepEqual(await found(user, 'fé'), ['café über ÉTÉ']);
    });

    test('the bound user is searched too', async () => {
      const user = await seed();
      const all = await found(user, user.slice(2, 10));
      assert.deepEqual(all, [...labels].sort());
    });

    test('a relabelled or deleted token is found by its new label only', async () => {
      const user = unique('Relabel');
      const t = token({ user, label: `before ${unique('x')}` });
      await ctx.store.insertToken(t);
      assert.deepEqual(await found(user, 'before'), [t.label]);
      await ctx.store.deleteToken(t.id);
      assert.deepEqual(await found(user, 'before'), []);
    });

    test('pages from either end agree with one full listing, total exact', async () => {
      const user = unique('Pager');
      const base = Date.now() - 100_000;
      for (let i = 0; i < 23; i++) {
        // pairs with the same creation time: the id decides their order
        await ctx.store.insertToken(token({ user, label: `p${i % 7}`, dateCreated: base + Math.floor(i / 2) }));
      }
      for (const sort of ['created', 'label', 'calls'] as const) {
        for (const descending of [false, true]) {
          const everything = await ctx.store.pageTokens({ user, sort, descending, startAt: 0, maxResults: 100 });
          assert.equal(everything.total, 23);
          const ids = everything.tokens.map((t) => t.id);
          for (const startAt of [0, 5, 11, 17, 20, 22, 23, 30]) {
            const page = await ctx.store.pageTokens({ user, sort, descending, startAt, maxResults: 5 });
            assert.equal(page.total, 23);
            assert.deepEqual(
              page.tokens.map((t) => t.id),
              ids.slice(startAt, startAt + 5),
              `${sort} ${descending} ${startAt}`,
            );
          }
        }
      }
    });

    test('the unfiltered total follows inserts and deletes', async () => {
      const before = (await ctx.store.pageTokens({ startAt: 0, maxResults: 1 })).total;
      const a = token();
      const b = token();
      await ctx.store.insertToken(a);
      await ctx.store.insertToken(b);
      assert.equal((await ctx.store.pageTokens({ startAt: 0, maxResults: 1 })).total, before + 2);
      await ctx.store.deleteToken(a.id);
      const after = await ctx.store.pageTokens({ startAt: before + 1, maxResults: 10 });
      assert.equal(after.total, before + 1);
      assert.equal(after.tokens.length, 0);
      const last = await ctx.store.pageTokens({ startAt: before, maxResults: 10 });
      assert.equal(last.tokens.length, 1);
    });
  });
}
