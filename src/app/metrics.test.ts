/**
 * Black-box: `GET /metrics` on a running gateway (in-process, free port, real upstream process,
 * real SQLite file) counts what a user did, and never shows a token, a label or a user.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';
import { type RunningGateway, startInProcessGateway } from '../testing/in-process.js';

/** The value of one sample line (`name{labels} value`) in a Prometheus text page. */
function sample(page: string, series: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no ${series} in\n${page}`);
  return Number(line.slice(series.length + 1));
}

function start(dataDir: string, upstream: string, metrics: boolean): Promise<RunningGateway> {
  return startInProcessGateway({ dataDir, upstream, overrides: { metrics: { enabled: metrics } } });
}

describe('/metrics', () => {
  let token: { id: string; token: string };
  const box = useBlackBox({
    server: 'none',
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'mia']).status, 0);
      token = b.createToken(['--label', 'metrics-label', '--user', 'mia', '--limit-to', '[GET].*/space']);
    },
  });

  test('counts token calls by decision, their latency, cache use and the database state', async () => {
    const gate = await start(box.dataDir, box.upstream.url, true);
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
    const gate = await start(box.dataDir, box.upstream.url, false);
    try {
      assert.equal((await fetch(`${gate.url}/metrics`)).status, 404);
    } finally {
      await gate.close();
    }
  });
});
