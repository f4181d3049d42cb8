/** Black-box: a refused admin API call is in the audit log with the reason the client was sent. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADMIN_BASE } from '../http/paths.js';
import { useBlackBox } from '../testing/black-box.js';

describe('admin API refusals in the audit log', () => {
  let admin: { id: string; token: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
    },
  });
  const auth = () => `Basic ${Buffer.from(`root:${admin.token}`).toString('base64')}`;

  test('the record says why (code and message), never the secret', async () => {
    const refused = await fetch(`${box.url}${ADMIN_BASE}/snippet?id=no-such-token`, {
      headers: { authorization: auth() },
    });
    assert.equal(refused.status, 404);
    const sent = (await refused.json()) as { code: string; message: string };
    let reasons: string[] = [];
    for (let i = 0; i < 50 && reasons.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const page = (await (
        await fetch(`${box.url}${ADMIN_BASE}/audit?decision=error&path=${ADMIN_BASE}/snippet`, {
          headers: { authorization: auth() },
        })
      ).json()) as { entries: { reason: string }[] };
      reasons = page.entries.map((e) => e.reason);
    }
    assert.deepEqual(reasons, [`admin API refused the call: ${sent.code}: ${sent.message}`]);
    assert.ok(!reasons[0]?.includes(admin.token));
  });
});
