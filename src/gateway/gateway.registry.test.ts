/**
 * Black-box against a second real REST API nobody here wrote: the distribution container
 * registry (Debian's docker-registry) with htpasswd users, behind tokengate with
 * `protect: /v2/`, pass-through on and `encodedSlash: keep`. Its log names the user a call that
 * it answered with an error was made as (`auth.user.name=…`; successful calls are logged without
 * it). It has no web UI; its own login is Basic on `/v2/`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import { type RunningTokengate, startTokengate, tempDir } from '../testing/processes.js';
import {
  DOCKER_REGISTRY,
  HTPASSWD,
  missing,
  pushImage,
  type RunningRegistry,
  startRegistry,
} from '../testing/real-servers.js';

const USERS = { alice: 'alice-registry-pw', ci: 'ci-service-pw' };

/** The user the registry logged for the last request to `uri` that it answered with an error. */
function loggedUser(registry: RunningRegistry, uri: string): string | undefined {
  const lines = registry
    .log()
    .split('\n')
    .filter((line) => line.includes(`http.request.uri=${uri} `) || line.includes(`http.request.uri="${uri}"`));
  const last = lines.at(-1) ?? '';
  return /auth\.user\.name=(\S+)/.exec(last)?.[1];
}

describe('in front of the distribution registry', { timeout: 120_000 }, () => {
  const dir = tempDir();
  const registryDir = tempDir('tokengate-registry-');
  let registry: RunningRegistry;
  let gate: RunningTokengate;
  let pull: { id: string; token: string };
  let bobs: { id: string; token: string };

  before(async () => {
    const absent = missing(DOCKER_REGISTRY, HTPASSWD);
    if (absent !== false) throw new Error(absent);
    registry = await startRegistry(registryDir.path, USERS);
    for (const name of ['library/hello', 'team/secret']) {
      await pushImage(registry.url, basic('ci', USERS.ci), name, 'latest');
    }
    for (const user of ['alice', 'bob']) assert.equal(runCli(['user', 'add', user], { dataDir: dir.path }).status, 0);
    pull = createTokenWithCli(dir.path, [
      '--label',
      'pull hello',
      '--user',
      'alice',
      '--limit-to',
      '[GET|HEAD]/v2/library(/|%2F).*',
    ]);
    bobs = createTokenWithCli(dir.path, ['--label', 'bob pulls', '--user', 'bob', '--limit-to', '[GET]/v2/.*']);
    const set = runCli(['user', 'upstream-credential', 'alice', '--type', 'basic'], {
      dataDir: dir.path,
      input: `alice:${USERS.alice}\n`,
    });
    assert.equal(set.status, 0, set.stderr);
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: registry.url,
      env: {
        TOKENGATE_PROTECT: '/v2/',
        TOKENGATE_PASSTHROUGH: 'true',
        TOKENGATE_ENCODED_SLASH: 'keep',
        TOKENGATE_UPSTREAM_USERNAME: 'ci',
        TOKENGATE_UPSTREAM_PASSWORD: USERS.ci,
      },
    });
  });

  after(async () => {
    await gate?.stop();
    await registry?.stop();
    dir.remove();
    registryDir.remove();
  });

  test('a restricted token is allowed and denied as its rules say', async () => {
    const auth = { authorization: basic('alice', pull.token) };
    const tags = await fetch(`${gate.url}/v2/library/hello/tags/list`, { headers: auth });
    assert.equal(tags.status, 200);
    assert.deepEqual(await tags.json(), { name: 'library/hello', tags: ['latest'] });
    const manifest = await fetch(`${gate.url}/v2/library/hello/manifests/latest`, {
      method: 'HEAD',
      headers: { ...auth, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(manifest.status, 200);
    const other = await fetch(`${gate.url}/v2/team/secret/tags/list`, { headers: auth });
    assert.equal(other.status, 403);
    assert.equal(((await other.json()) as { code: string }).code, 'request_denied');
    const push = await fetch(`${gate.url}/v2/library/hello/blobs/uploads/`, { method: 'POST', headers: auth });
    assert.equal(push.status, 403);
  });

  test("a user's own credential reaches the registry as that user (its log)", async () => {
    // a repository that does not exist: the registry answers 404 and logs who asked
    const alice = await fetch(`${gate.url}/v2/library/nothing/tags/list`, {
      headers: { authorization: basic('alice', pull.token) },
    });
    assert.equal(alice.status, 404);
    assert.equal(((await alice.json()) as { errors: { code: string }[] }).errors[0]?.code, 'NAME_UNKNOWN');
    assert.equal(loggedUser(registry, '/v2/library/nothing/tags/list'), 'alice');
    const bob = await fetch(`${gate.url}/v2/team/nothing/tags/list`, {
      headers: { authorization: basic('bob', bobs.token) },
    });
    assert.equal(bob.status, 404);
    assert.equal(loggedUser(registry, '/v2/team/nothing/tags/list'), 'ci', 'bob has none: the service account');
  });

  test('its own password login (docker login: Basic on /v2/) passes through unchanged', async () => {
    const anonymous = await fetch(`${gate.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.equal(
      anonymous.headers.get('www-authenticate'),
      'Basic realm="test-registry"',
      "the registry's own challenge",
    );
    const login = await fetch(`${gate.url}/v2/?login=1`, { headers: { authorization: basic('alice', USERS.alice) } });
    assert.equal(login.status, 200);
    assert.equal(login.headers.get('docker-distribution-api-version'), 'registry/2.0');
    const wrong = await fetch(`${gate.url}/v2/`, { headers: { authorization: basic('alice', 'nope') } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { code?: string }).code, undefined, "the registry's 401, not tokengate's");
  });

  test('a repository path with an encoded slash works with keep (the rules see %2F)', async () => {
    const encoded = await fetch(`${gate.url}/v2/library%2Fhello/tags/list`, {
      headers: { authorization: basic('alice', pull.token) },
    });
    assert.equal(encoded.status, 200);
    assert.deepEqual(await encoded.json(), { name: 'library/hello', tags: ['latest'] });
    assert.ok(
      registry.log().includes('"GET /v2/library%2Fhello/tags/list HTTP/1.1" 200'),
      'forwarded with %2F as it came (the registry access log)',
    );
    const traversal = await fetch(`${gate.url}/v2/library%2F..%2Fteam%2Fsecret/tags/list`, {
      headers: { authorization: basic('alice', pull.token) },
    });
    assert.equal(traversal.status, 400);
  });
});
