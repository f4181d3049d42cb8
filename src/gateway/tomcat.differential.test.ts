/**
 * Differential suite against a real Apache Tomcat 10 (issue 14): a fast-check corpus of raw
 * requests — the attack classes (dot segments and their escapes, `;` path parameters, `//`,
 * encoded separators, parameter names spelt differently, duplicate parameters, parameters in
 * form and multipart bodies, method overrides, credential parameters, identity, address and URL
 * headers in any spelling) mixed with legitimate traffic — sent byte for byte through tokengate
 * to Tomcat's echo servlet (src/testing/tomcat/Echo.java). For every request:
 * - forwarded → what the servlet received is what tokengate judged: the method sent, a path
 *   Tomcat did not normalise (decoded request URI = servlet path + path info), every parameter
 *   value Tomcat reports (query, form and multipart) equal to tokengate's reading, the identity
 *   header exactly the token's user, no client header with meaning upstream, the body as sent;
 *   and for the restricted token, the servlet's view satisfies the rule.
 * - refused or denied → it never reached the servlet (Tomcat's own log of request ids).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalize } from '../http/canonicalize.js';
import { formKindOf, mergedParams, readFormBody } from '../http/form-body.js';
import { parseQuery } from '../http/parse-query.js';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { type RunningTokengate, startTokengate, tempDir } from '../testing/processes.js';
import { type RunningTomcat, startTomcat, tomcatMissing } from '../testing/tomcat.js';
import { FORBIDDEN_REQUEST_HEADERS, normalizedHeaderName } from './upstream-headers.js';
import { upstreamQuery } from './upstream-query.js';

/** Corpus size: a few thousand requests, a few minutes at most on a loaded 2-core machine. */
const CORPUS = Number(process.env.TOKENGATE_DIFFERENTIAL_RUNS ?? 2500);
const CONCURRENCY = 6;
const SEED = 14;

const RULE = '[GET|POST|PUT]/rest/api/space/PM(/[a-z]+)?[QueryParam::spaceKey==PM]';
const RULE_PATH = /^\/rest\/api\/space\/PM(\/[a-z]+)?$/;
/** Headers tokengate itself sets upstream (the only ones with meaning that may arrive). */
const SET_BY_TOKENGATE = new Set([
  'x-forwarded-user',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
]);

interface Case {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly contentType: string | null;
  readonly body: string;
  readonly who: 'alice' | 'bob';
}

const segment = fc.constantFrom(
  'rest',
  'api',
  'space',
  'PM',
  'pm',
  'abc',
  'x',
  '..',
  '.',
  '%2e%2e',
  '%2E',
  '.%2e',
  '%2e',
  ';',
  '..;',
  'PM;x=1',
  'abc;jsessionid=1',
  '%2f',
  '%2F',
  '%5c',
  '%3b',
  '',
  '%61bc',
  'a%20b',
  '%00',
  'a+b',
  '%c0%ae',
  '%25',
  '\\',
);
const legitPath = fc.constantFrom(
  '/rest/api/space/PM',
  '/rest/api/space/PM/abc',
  '/rest/api/space/PM/x',
  '/rest/api/content',
  '/rest/api/space/OTHER',
);
const path = fc.oneof(
  { weight: 3, arbitrary: legitPath },
  {
    weight: 2,
    arbitrary: fc
      .tuple(legitPath, fc.array(segment, { minLength: 1, maxLength: 3 }))
      .map(([p, s]) => `${p}/${s.join('/')}`),
  },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/rest/${s.join('/')}`) },
  { weight: 1, arbitrary: legitPath.map((p) => p.replace('/rest/', '/rest//')) },
);
const paramName = fc.constantFrom(
  'spaceKey',
  'spaceKey',
  'spaceKey',
  'SpaceKey',
  'spacekey',
  'space%4Bey',
  'spaceKey%00',
  'spaceKey[]',
  'spaceKey ',
  '_method',
  '_METHOD',
  'X-HTTP-Method-Override',
  'os_username',
  'os_authType',
  'OS_PASSWORD',
  'limit',
  'expand',
  '%5Fmethod',
);
const paramValue = fc.constantFrom(
  'PM',
  'PM',
  'PM',
  'OTHER',
  'P%4D',
  '%50M',
  'PM%00',
  '',
  'PM%20',
  'PM+',
  'DELETE',
  '10',
  'P%C3%A9',
  '%ZZ',
  'PM;x',
);
const pairs = fc.array(fc.tuple(paramName, paramValue), { maxLength: 4 });
const encodePairs = (list: readonly (readonly [string, string])[], separator: string) =>
  list.map(([n, v]) => `${n}=${v}`).join(separator);
const query = fc.oneof(
  { weight: 4, arbitrary: pairs.map((list) => encodePairs(list, '&')) },
  { weight: 1, arbitrary: pairs.map((list) => encodePairs(list, ';')) },
  { weight: 1, arbitrary: fc.constant('') },
);
const headerPool: readonly (readonly [string, string])[] = [
  ['X_Forwarded_User', 'root'],
  ['X-Forwarded-User', 'root'],
  ['x-forwarded_user', 'root'],
  ['X-HTTP-Method-Override', 'DELETE'],
  ['X_HTTP_Method_Override', 'DELETE'],
  ['X-Original-URL', '/rest/api/space/OTHER'],
  ['X-Rewrite-URL', '/rest/api/space/OTHER'],
  ['X-Forwarded-Host', 'evil.example'],
  ['X-Forwarded-Prefix', '/evil'],
  ['Remote-User', 'root'],
  ['X_Real_IP', '10.0.0.1'],
  ['True-Client-IP', '10.0.0.1'],
  ['Forwarded', 'for=10.0.0.1;host=evil'],
  ['Accept', 'application/json'],
];
const headers = fc.subarray([...headerPool], { maxLength: 3 });
const boundary = 'b0undary';
const multipart = (fields: readonly (readonly [string, string])[], withFile: boolean) => {
  let out = '';
  for (const [name, value] of fields) {
    out += `--${boundary}\r\nContent-Disposition: form-data; name="${decodeName(name)}"\r\n\r\n${decodeValue(value)}\r\n`;
  }
  if (withFile)
    out += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`;
  return `${out}--${boundary}--\r\n`;
};
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name).replace(/[\r\n"]/g, '');
  } catch {
    return name;
  }
}
function decodeValue(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' ')).replace(/[^\x20-\x7e]/g, '');
  } catch {
    return value;
  }
}
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ contentType: null as string | null, body: '' }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        pairs,
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=UTF-8',
          'Application/X-WWW-Form-Urlencoded',
        ),
      )
      .map(([list, type]) => ({
        contentType: type as string | null,
        body: encodePairs(list, '&'),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(pairs, fc.boolean()).map(([list, file]) => ({
      contentType: `multipart/form-data; boundary=${boundary}` as string | null,
      body: multipart(list, file),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ contentType: 'application/json' as string | null, body: '{"spaceKey":"OTHER"}' }),
  },
  { weight: 1, arbitrary: fc.constant({ contentType: 'text/plain' as string | null, body: 'spaceKey=OTHER' }) },
);
/** Legitimate traffic: what a script with a well-scoped token sends. */
const legitBody = fc.constantFrom(
  { contentType: null as string | null, body: '' },
  { contentType: 'application/x-www-form-urlencoded' as string | null, body: 'spaceKey=PM&title=Hello+world' },
  {
    contentType: 'application/x-www-form-urlencoded; charset=UTF-8' as string | null,
    body: 'spaceKey=PM&title=%C3%A9t%C3%A9',
  },
  {
    contentType: `multipart/form-data; boundary=${boundary}` as string | null,
    body: multipart(
      [
        ['spaceKey', 'PM'],
        ['comment', 'v2'],
      ],
      true,
    ),
  },
  { contentType: 'application/json' as string | null, body: '{"type":"page","title":"x"}' },
);
const legit = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  path: legitPath,
  query: fc.constantFrom(
    '',
    'spaceKey=PM',
    'spaceKey=PM&limit=10&expand=history',
    'spaceKey=PM&spaceKey=PM',
    'limit=5',
  ),
  headers: fc.constantFrom([] as (readonly [string, string])[], [['Accept', 'application/json'] as const]),
  body: legitBody,
  who: fc.constantFrom('alice' as const, 'bob' as const),
});
const attack = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path,
  query,
  headers: fc.oneof(fc.constant([] as (readonly [string, string])[]), headers),
  body,
  who: fc.constantFrom('alice' as const, 'bob' as const),
});
const corpusCase: fc.Arbitrary<Case> = fc
  .oneof({ weight: 2, arbitrary: legit }, { weight: 3, arbitrary: attack })
  .map((r) => ({
    method: r.method,
    target: r.query === '' ? r.path : `${r.path}?${r.query}`,
    headers: r.headers,
    contentType: r.body.contentType,
    body: r.body.body,
    who: r.who,
  }));

interface Answer {
  readonly status: number;
  readonly body: string;
}

function dechunk(raw: string): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line < 0) return out;
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 4 + size);
  }
}

/** Sends one request byte for byte and reads the whole answer (Connection: close). */
function sendRaw(port: number, text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // a refused request's body may be cut short by the answer: the answer is what counts
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const split = all.indexOf('\r\n\r\n');
      const head = split < 0 ? all : all.slice(0, split);
      const rawBody = split < 0 ? '' : all.slice(split + 4);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
      resolve({ status, body: Buffer.from(chunked ? dechunk(rawBody) : rawBody, 'latin1').toString('utf8') });
    });
    socket.write(Buffer.from(text, 'latin1')); // no half-close: Node reads that as a client gone
  });
}

interface Echo {
  echo: true;
  method: string;
  requestURI: string;
  servletPath: string;
  pathInfo: string | null;
  identity: string[];
  headerNames: string[];
  params: Record<string, string[]>;
  paramError?: string;
  rawBody: string | null;
}

/** The parameters tokengate reads for this case (query as forwarded, then the form body), or null when it cannot read them. */
async function judgedParams(c: Case, withBody: boolean): Promise<Record<string, string[]> | null> {
  const canonical = canonicalize({ method: c.method, target: c.target, headers: {} }, { publicUrl: null });
  if (!canonical.ok) return null;
  const forwarded = parseQuery(upstreamQuery(canonical.request.rawQuery, canonical.request.query));
  if ('refused' in forwarded) return null;
  const kind = formKindOf(c.contentType ?? undefined);
  if (!withBody || kind === null || c.body === '') return Object.fromEntries(forwarded);
  const bytes = Buffer.from(c.body, 'latin1');
  const form = await readFormBody(
    Readable.from([bytes]),
    { 'content-type': c.contentType ?? '', 'content-length': String(bytes.length) },
    kind,
    1 << 20,
  );
  return Object.fromEntries(mergedParams(forwarded, form.params)) as Record<string, string[]>;
}

const skip = tomcatMissing() ?? false;

describe('differential: what Tomcat sees is what tokengate judged', { skip, timeout: 600_000 }, () => {
  const dir = tempDir('tokengate-differential-');
  let tomcat: RunningTomcat;
  let gate: RunningTokengate;
  const auth: Record<'alice' | 'bob', string> = { alice: '', bob: '' };

  before(async () => {
    for (const user of ['alice', 'bob']) assert.equal(runCli(['user', 'add', user], { dataDir: dir.path }).status, 0);
    const alice = createTokenWithCli(dir.path, ['--label', 'rule', '--user', 'alice', '--limit-to', RULE]);
    const bob = createTokenWithCli(dir.path, [
      '--label',
      'wide',
      '--user',
      'bob',
      '--limit-to',
      '[GET|POST|PUT|DELETE|PATCH]/rest/.*',
    ]);
    auth.alice = `Basic ${Buffer.from(`alice:${alice.token}`).toString('base64')}`;
    auth.bob = `Basic ${Buffer.from(`bob:${bob.token}`).toString('base64')}`;
    tomcat = await startTomcat();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: tomcat.url,
      env: { TOKENGATE_AUTH_FAILURE_LIMIT: '100000' },
    });
  });

  after(async () => {
    await gate?.stop();
    await tomcat?.stop();
    dir.remove();
  });

  test(`a corpus of ${CORPUS} generated requests`, async () => {
    const cases = fc.sample(corpusCase, { numRuns: CORPUS, seed: SEED });
    const refusedIds: string[] = [];
    /** Every request that got no echo: refused by tokengate, or by Node's HTTP parser before it. */
    const notForwarded: string[] = [];
    const problems: string[] = [];
    let forwarded = 0;
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      for (;;) {
        const index = next++;
        if (index >= cases.length) return;
        const c = cases[index] as Case;
        const id = `t${index}`;
        const lines = [
          `${c.method} ${c.target} HTTP/1.1`,
          'Host: 127.0.0.1',
          `Authorization: ${auth[c.who]}`,
          `X-Test-Id: ${id}`,
          'Connection: close',
        ];
        for (const [name, value] of c.headers) lines.push(`${name}: ${value}`);
        if (c.contentType !== null) lines.push(`Content-Type: ${c.contentType}`);
        if (c.body !== '' || c.method === 'POST' || c.method === 'PUT')
          lines.push(`Content-Length: ${Buffer.byteLength(c.body, 'latin1')}`);
        const answer = await sendRaw(gate.port, `${lines.join('\r\n')}\r\n\r\n${c.body}`).catch((err: unknown) => {
          throw new Error(
            `#${index} ${c.method} ${c.target}: ${String(err)}\ntokengate said:\n${gate.output().slice(-3000)}`,
          );
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        let echo: Echo | null = null;
        try {
          const parsed = JSON.parse(answer.body) as Partial<Echo>;
          if (parsed.echo === true) echo = parsed as Echo;
        } catch {
          // not JSON: Tomcat's own error page
        }
        const where = `#${index} ${c.who} ${c.method} ${c.target} ${JSON.stringify(c.headers)} ${c.contentType} ${JSON.stringify(c.body).slice(0, 200)} → ${answer.status}`;
        if (echo === null) {
          notForwarded.push(id);
          if (answer.status < 500 && /"status":"error"/.test(answer.body)) refusedIds.push(id);
          else if (answer.status !== 400 && answer.status !== 404)
            problems.push(`${where}: neither refused nor echoed: ${answer.body.slice(0, 200)}`);
          continue;
        }
        forwarded++;
        const fail = (what: string) => problems.push(`${where}: ${what} ${JSON.stringify(echo).slice(0, 600)}`);
        if (echo.method !== c.method) fail('method differs');
        if (JSON.stringify(echo.identity) !== JSON.stringify([c.who])) fail('identity header');
        for (const name of echo.headerNames) {
          const normalized = normalizedHeaderName(name.toLowerCase());
          if (FORBIDDEN_REQUEST_HEADERS.has(normalized) && !SET_BY_TOKENGATE.has(name.toLowerCase()))
            fail(`header ${name} reached the servlet`);
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(echo.requestURI);
        } catch {
          decoded = '<undecodable>';
        }
        if (decoded !== echo.servletPath + (echo.pathInfo ?? ''))
          fail('Tomcat read another path than the one forwarded');
        for (const name of Object.keys(echo.params)) {
          if (/^(_method|x-http-method-override|os_username|os_password|os_authtype)$/i.test(name))
            fail(`parameter ${name} reached the servlet`);
        }
        if (echo.paramError !== undefined) fail('Tomcat could not read the parameters');
        const all = await judgedParams(c, true);
        const queryOnly = await judgedParams(c, false);
        const seen = JSON.stringify(Object.entries(echo.params).sort());
        const lowerForm =
          c.method === 'POST' && c.contentType !== null && c.contentType === c.contentType.toLowerCase();
        const matchesAll = all !== null && seen === JSON.stringify(Object.entries(all).sort());
        const matchesQuery = queryOnly !== null && seen === JSON.stringify(Object.entries(queryOnly).sort());
        if (!matchesAll && !(matchesQuery && !lowerForm))
          fail(`parameters differ from tokengate's reading ${JSON.stringify(all)}`);
        if (
          formKindOf(c.contentType ?? undefined) === null &&
          echo.rawBody !== Buffer.from(c.body, 'latin1').toString('base64')
        )
          fail('body differs');
        if (c.who === 'alice') {
          if (!RULE_PATH.test(echo.requestURI)) fail('the rule\u2019s path does not hold for what the servlet got');
          const keys = echo.params.spaceKey;
          if (keys === undefined || keys.length === 0 || keys.some((v) => v !== 'PM'))
            fail('spaceKey==PM does not hold for what the servlet got');
          if (!['GET', 'POST', 'PUT'].includes(echo.method)) fail('method outside the rule');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seenIds = new Set(await tomcat.seen());
    for (const id of notForwarded) if (seenIds.has(id)) problems.push(`refused request ${id} reached the servlet`);
    console.log(
      `differential corpus: ${cases.length} requests, ${forwarded} forwarded, ${refusedIds.length} refused or denied by tokengate, ${notForwarded.length - refusedIds.length} refused by Node's HTTP parser; statuses ${JSON.stringify([...statuses].sort())}`,
    );
    assert.deepEqual(problems.slice(0, 20), []);
    assert.ok(forwarded > cases.length / 10, 'the corpus has legitimate traffic too');
    assert.ok(refusedIds.length > cases.length / 10, 'the corpus has attacks too');
  });
});
