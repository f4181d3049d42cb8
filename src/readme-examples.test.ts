/**
 * Every README example runs as written. The convention (also at the top of README.md):
 *
 * - every ```sh / ```bash block runs, in order, in ONE bash session (`set -e`: a failing
 *   command fails the test naming its block), in a temporary directory whose `./data` is the data
 *   directory; `tokengate` on PATH is this checkout's CLI (from sources), and `import 'tokengate'`
 *   resolves to this checkout's library (`express` too);
 * - `<!-- not run: REASON -->` on the line before a block skips it (placeholders such as TOKEN or
 *   gate.example.com, `npm ci`, things another test covers);
 * - `<!-- run: in the background until URL answers -->` starts the block in the background
 *   (`tokengate serve …`, `node app.mjs`) and goes on once URL answers with any HTTP status; it
 *   runs until the test ends (then SIGTERM);
 * - `<!-- run: file NAME -->` on a ```js block writes it to NAME (syntax-checked) for a later
 *   block to run; other ```js blocks are syntax-checked;
 * - `127.0.0.1:8080` and `127.0.0.1:3000` are read as free ports (another process may hold them),
 *   also given as TOKENGATE_PORT and PORT.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readmeBlocks, readmeScript } from './readme-examples.test-helpers.js';
import { ROOT } from './testing/paths.js';
import { tempDir } from './testing/processes.js';

const RUN_TIMEOUT_MS = 110_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The temporary directory: `tokengate` on PATH, `tokengate` and `express` importable. */
function prepare(dir: string): { bin: string } {
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'tokengate'),
    `#!/bin/sh\nexec node ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  const library = join(dir, 'node_modules', 'tokengate');
  mkdirSync(library, { recursive: true });
  writeFileSync(
    join(library, 'package.json'),
    JSON.stringify({ name: 'tokengate', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(library, 'index.js'),
    `export * from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/lib/index.ts')).href)};\n`,
  );
  symlinkSync(join(ROOT, 'node_modules', 'express'), join(dir, 'node_modules', 'express'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
  return { bin };
}

describe('README examples', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const dir = tempDir('tokengate-readme-');
  after(() => dir.remove());

  test('every marker is one the runner knows, and some blocks run', () => {
    const blocks = readmeBlocks(readme);
    assert.ok(blocks.some((block) => block.marker.kind === 'run'));
    assert.ok(blocks.some((block) => block.marker.kind === 'background'));
    assert.throws(() => readmeBlocks('<!-- run: sometimes -->\n```sh\ntrue\n```\n'), /unknown marker/);
  });

  test('every block that is not marked "not run" runs as written', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const [gatePort, appPort] = [await freePort(), await freePort()];
    const ports = new Map([
      ['8080', gatePort],
      ['3000', appPort],
    ]);
    const script = readmeScript(readmeBlocks(readme), ports);
    writeFileSync(join(dir.path, 'readme.sh'), script);
    const { bin } = prepare(dir.path);
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: dir.path,
      NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href}`,
      TOKENGATE_PORT: String(gatePort),
      PORT: String(appPort),
    };
    // its own process group: background blocks are stopped with it
    const child = spawn('bash', ['readme.sh'], {
      cwd: dir.path,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const status = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), RUN_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {
      // every background block had already ended
    }
    assert.equal(status, 0, output.slice(-6000));
    assert.match(output, /=== every README\.md block ran/);
  });
});
