/**
 * Black-box: `GET /metrics` on a running gateway (in-process, free port, real upstream process,
 * real SQLite file) counts what a user did, and never shows a token, a label or a user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config/load-config.js';
import {
  basic,
  createTokenWithCli,
  type RunningUpstream,
  runCli,
  startRecordingUpstream,
  tempDir,
} from '../testing/processes.js';
import { type RunningGateway, startGateway } from './start-gateway.js';

/** The value of one sample line (`name{labels} value`) in a Prometheus text page. */
function sample(page: string, series: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no ${series} in\n${page}`);
  return Number(line.slice(series.length + 1));
}

async function start(dataDir: string, upstream: string, metrics: boolean): Promise<RunningGateway> {
  const loaded = loadConfig({
    env: {},
    overrides: { port: 0, host: '127.0.0.1', dataDir, upstream, metrics: { enabled: metrics } },
  });
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('; '));
  return startGateway(loaded.config);
}

describe('/metrics', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let token: { id: string; token: string };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'mia'], { dataDir: dir.path }).status, 0);
    token = createTokenWithCli(dir.path, ['--label', 'metrics-label', '--user', 'mia', '--limit-to', '[GET].*/space']);
    upstream = await startRecordingUpstream();
  });

  after(async () => {
    await upstream?.stop();
    dir.remove();
  });

  test('counts token calls by decision, their latency, cache use and the database state', async () => {
    const gate = await start(dir.path, upstream.url, true);
    try {
      const headers = { authorization: basic('mia', token.token) };
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${gate.url}/rest/api/space`, { headers })).status, 200);
      assert.equal((await fetch(`${gate.url}/rest/api/content`, { headers })).status, 403);
      const wrong = { authorization: basic('mia', 'tgp_wrongwrongwrongwrong') };
      assert.equal((await fetch(`${gate.url}/rest/api/space`, { headers: wrong })).status, 401);

      const response = await fetch(`${gate.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      const page = await response.text();
      assert.equal(sample(page, 'tokengate_token_calls_total{decision="allowed"}'), 3);
      assert.equal(sample(page, 'tokengate_token_calls_total{decision="denied"}'), 1);
      assert.equal(sample(page, 'tokengate_token_calls_total{decision="unauthenticated"}'), 1);
      assert.equal(sample(page, 'tokengate_token_call_duration_seconds_count'), 5);
      assert.ok(sample(page, 'tokengate_auth_cache_hits_total') >= 3, 'repeated calls hit the cache');
      assert.ok(sample(page, 'tokengate_auth_cache_misses_total') >= 1);
      assert.equal(sample(page, 'tokengate_database_state{state="up"}'), 1);
      assert.equal(sample(page, 'tokengate_database_state{state="down"}'), 0);
      assert.ok(sample(page, 'tokengate_change_feed_lag_seconds') < 5);
      assert.ok(sample(page, 'tokengate_audit_queue_depth') >= 0);
      assert.ok(sample(page, 'tokengate_process_resident_memory_bytes') > 0);
      for (const secret of [token.token, token.id, 'metrics-label', 'mia', '/rest/api']) {
        assert.ok(!page.includes(secret), `metrics must not show ${secret}`);
      }

      const healthz = (await (await fetch(`${gate.url}/healthz`)).json()) as {
        database: { kind: string; state: string };
      };
      assert.deepEqual([healthz.database.kind, healthz.database.state], ['sqlite', 'up']);
    } finally {
      await gate.close();
    }
  });

  test('metrics.enabled = false: /metrics is not served', async () => {
    const gate = await start(dir.path, upstream.url, false);
    try {
      assert.equal((await fetch(`${gate.url}/metrics`)).status, 404);
    } finally {
      await gate.close();
    }
  });
});
