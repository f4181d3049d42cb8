import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalPath } from './canonical-path.js';

function kept(path: string): string {
  const result = canonicalPath(path, 'keep');
  assert.equal(typeof result, 'string', `expected ${JSON.stringify(path)} to be kept: ${JSON.stringify(result)}`);
  return result as string;
}

function refused(path: string, policy: 'keep' | 'refuse' = 'keep'): string {
  const result = canonicalPath(path, policy);
  assert.equal(typeof result, 'object', `expected ${JSON.stringify(path)} to be refused`);
  return (result as { refused: string }).refused;
}

describe('encoded slashes: keep', () => {
  test('%2F stays encoded (upper-case hex), so the rules see the three characters', () => {
    assert.equal(kept('/api/queues/%2F/orders'), '/api/queues/%2F/orders');
    assert.equal(kept('/api/queues/%2f/orders'), '/api/queues/%2F/orders');
    assert.equal(kept('/api/v4/projects/group%2Fproject/issues'), '/api/v4/projects/group%2Fproject/issues');
    assert.equal(kept('/api/exchanges/%2F/amq.direct'), '/api/exchanges/%2F/amq.direct');
    assert.equal(kept('/api/vhosts/%2F%2Fx'), '/api/vhosts/%2F%2Fx');
    assert.equal(kept('/a/%2F'), '/a/%2F');
    // the other rules of the canonical path still apply around it
    assert.equal(kept('/a/%7Euser%2Fb'), '/a/~user%2Fb');
  });

  test('refuse (the default) still refuses it', () => {
    assert.match(refused('/api/queues/%2F/orders', 'refuse'), /encoded "\/"/);
    assert.equal(typeof canonicalPath('/api/queues/%2F/orders'), 'object');
  });

  test('a dot segment next to an encoded slash is refused (an upstream that decodes it would go up)', () => {
    for (const path of [
      '/rest/api/space%2F..%2F..%2Fadmin',
      '/a/..%2Fb',
      '/a/b%2F..',
      '/a/b%2F../c',
      '/a/%2E%2E%2Fb',
      '/a/.%2Fb',
      '/a/x%2F.%2Fb',
      '/a/x%2F%2e',
    ]) {
      assert.match(refused(path), /dot segments/, path);
    }
    // dots that are not a whole part are data
    assert.equal(kept('/a/...%2Fb'), '/a/...%2Fb');
    assert.equal(kept('/a/.x%2F.y'), '/a/.x%2F.y');
  });

  test('every other refusal stays', () => {
    for (const [path, reason] of [
      ['/a/%5Cb', /backslash/],
      ['/a/%252F', /encoded "%"/],
      ['/a/%3Bx', /";"/],
      ['/a/..;/b', /";"/],
      ['/a//b', /empty segments/],
      ['/a/../b', /dot segments/],
      ['/a/%00', /control character/],
      ['/a/%3F', /"\?"/],
      ['/a/%23', /"#"/],
      ['/a/%2', /percent-encoding/],
    ] as const) {
      assert.match(refused(path), reason, path);
    }
  });

  test('property: keep only ever differs from refuse on paths with %2F, and then keeps the rest the same', () => {
    const piece = fc.constantFrom('a', 'B', '.', '..', '%2F', '%2f', '%2E', '%7E', '/', ';', '%5C', '%25', '~', '-');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const path = `/${pieces.join('')}`;
        const refuseResult = canonicalPath(path, 'refuse');
        const keepResult = canonicalPath(path, 'keep');
        if (!/%2F/i.test(path)) {
          assert.deepEqual(keepResult, refuseResult);
          return;
        }
        if (typeof keepResult === 'string') {
          // what was kept has the same bytes as the input except for normalised escapes
          assert.equal(keepResult.replace(/%2F/g, '/').length <= path.length, true);
          assert.ok(!/(^|\/|%2F)\.{1,2}(\/|%2F|$)/.test(keepResult), `dot part kept: ${keepResult}`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
