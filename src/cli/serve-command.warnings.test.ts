/** Black-box: `tokengate serve` warns about unknown TOKENGATE_* variables like every other command. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { cliNodeArgs, ROOT } from '../testing/paths.js';
import { tempDir } from '../testing/processes.js';

const dir = tempDir();
after(() => dir.remove());

test('serve prints a warning for a misspelt TOKENGATE_ variable and still starts', async () => {
  const child = spawn(process.execPath, cliNodeArgs(['serve', '--demo', '--port', '0', '--data-dir', dir.path]), {
    cwd: ROOT,
    env: { ...process.env, TOKENGATE_MAX_EXPIRY_DAY: '3' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 60_000);
    // the listening line is a log event on stderr
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (/listening on http:\/\//.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  assert.match(stdout, /admin/, 'the demo welcome is on stdout');
  child.kill('SIGTERM');
  await exited; // how it stops is another test's subject
  assert.match(stderr, /^tokengate: warning: .*TOKENGATE_MAX_EXPIRY_DAY/m);
});
