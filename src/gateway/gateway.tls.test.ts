/**
 * Black-box: HTTPS with a certificate made at test time (openssl), a client that verifies it,
 * and a certificate reload on SIGHUP while a keep-alive connection stays open.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';

/** A CA and two server certificates for 127.0.0.1 signed by it (CN first and second). */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=tokengate test CA', '-days', '2');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const name of ['first', 'second']) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
  }
}

interface Answer {
  status: number;
  subject: string;
  reused: boolean;
  localPort: number;
}

function get(url: string, agent: Agent, authorization: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization } }, (res) => {
      // read while the response holds the socket (it goes back to the agent at the end)
      const socket = res.socket as TLSSocket;
      const answer: Answer = {
        status: res.statusCode ?? 0,
        subject: (socket.getPeerCertificate() as PeerCertificate).subject.CN as string,
        reused: req.reusedSocket,
        localPort: socket.localPort ?? 0,
      };
      res.resume();
      res.on('end', () => resolve(answer));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway: TLS', () => {
  const dir = tempDir();
  const certs = tempDir('tokengate-certs-');
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let alice: { id: string; token: string };
  let ca: Buffer;

  before(async () => {
    makeCertificates(certs.path);
    ca = readFileSync(join(certs.path, 'ca.pem'));
    copyFileSync(join(certs.path, 'first.pem'), join(certs.path, 'live.pem'));
    copyFileSync(join(certs.path, 'first.key'), join(certs.path, 'live.key'));
    assert.equal(runCli(['user', 'add', 'alice'], { dataDir: dir.path }).status, 0);
    alice = createTokenWithCli(dir.path, ['--label', 'alice', '--user', 'alice']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_TLS_CERT: join(certs.path, 'live.pem'), TOKENGATE_TLS_KEY: join(certs.path, 'live.key') },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
    certs.remove();
  });

  test('HTTPS with a verified certificate; forwarded calls say X-Forwarded-Proto: https', async () => {
    assert.match(gate.url, /^https:\/\//);
    const agent = new Agent({ ca, keepAlive: true, maxSockets: 1 });
    try {
      await upstream.clear();
      const answer = await get(`${gate.url}/rest/api/space`, agent, basic('alice', alice.token));
      assert.equal(answer.status, 200);
      assert.equal(answer.subject, 'first');
      const [received] = await upstream.records();
      assert.equal(received?.headers['x-forwarded-proto'], 'https');
    } finally {
      agent.destroy();
    }
    // a client that does not know the CA refuses the server
    const untrusting = new Agent({ keepAlive: false });
    await assert.rejects(get(`${gate.url}/healthz`, untrusting, ''), /self[- ]signed|unable to verify|certificate/i);
    untrusting.destroy();
  });

  test('TLS 1.0 and 1.1 are refused', async () => {
    for (const maxVersion of ['TLSv1', 'TLSv1.1'] as const) {
      await assert.rejects(
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: gate.port, ca, minVersion: 'TLSv1', maxVersion }, () => {
            socket.end();
            resolve();
          });
          socket.on('error', reject);
        }),
        maxVersion,
      );
    }
  });

  test('SIGHUP reloads the certificate; an open keep-alive connection stays open', async () => {
    const agent = new Agent({ ca, keepAlive: true, maxSockets: 1 });
    try {
      const auth = basic('alice', alice.token);
      const first = await get(`${gate.url}/rest/api/space`, agent, auth);
      assert.equal(first.subject, 'first');
      copyFileSync(join(certs.path, 'second.pem'), join(certs.path, 'live.pem'));
      copyFileSync(join(certs.path, 'second.key'), join(certs.path, 'live.key'));
      gate.child.kill('SIGHUP');
      for (let i = 0; i < 50 && !gate.output().includes('TLS certificate reloaded'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(gate.output(), /TLS certificate reloaded/);
      // the open connection was not dropped: the next call reuses it (same local port)
      const again = await get(`${gate.url}/rest/api/space`, agent, auth);
      assert.equal(again.status, 200);
      assert.equal(again.reused, true);
      assert.equal(again.localPort, first.localPort);
      assert.equal(again.subject, 'first', 'the open connection keeps its handshake');
      // a new connection gets the new certificate
      const fresh = new Agent({ ca, keepAlive: false });
      const renewed = await get(`${gate.url}/rest/api/space`, fresh, auth);
      fresh.destroy();
      assert.equal(renewed.status, 200);
      assert.equal(renewed.subject, 'second');
      assert.equal(gate.child.exitCode, null, 'SIGHUP did not stop the server');
    } finally {
      agent.destroy();
    }
  });
});
