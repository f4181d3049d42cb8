/**
 * The installable command: `npm pack` gives a tarball that `npm install -g` turns into a working
 * `tokengate` on PATH — checked by packing a copy of the tracked tree, installing the tarball
 * into a temporary prefix (its dependencies from npm's cache) and running the installed command:
 * `--version`, `serve --demo`, one call through it; and the library: a temporary project imports
 * `tokengate` (through `exports`), runs a middleware call, and type-checks against the shipped
 * declaration files.
 *
 * Compiling re2 and better-sqlite3 takes minutes (far longer on a busy machine), so the install
 * skips install scripts and takes the native builds of the very same versions from this
 * checkout's node_modules; everything else — the tarball's files, its bin, its dependency list —
 * is what a user gets.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../testing/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Packing builds the tree (prepack) and installing compiles re2 and better-sqlite3: minutes, not seconds. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;
/** Dependencies with a native build (build/Release/*.node). */
const NATIVE = ['better-sqlite3', 're2'];

function versionOf(packageDir: string): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Gives the installed native packages the builds of this checkout (same version, checked). */
function copyNativeBuilds(installed: string): void {
  for (const name of NATIVE) {
    const from = join(ROOT, 'node_modules', name);
    const to = join(installed, 'node_modules', name);
    assert.equal(versionOf(to), versionOf(from), `${name}: the tarball installs the version this checkout uses`);
    cpSync(join(from, 'build'), join(to, 'build'), { recursive: true });
  }
}

/** A copy of what git tracks (the working tree's contents), so packing never rewrites this checkout's dist/. */
function copyTrackedTree(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && file !== 'node_modules');
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(to, file));
    } catch (err) {
      // A tracked file deleted in the working tree is not part of what would be packed.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'));
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in time:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolvePromise(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tokengate exited with ${code}:\n${output}`));
    });
  });
}

describe('the packed tarball installs a working tokengate command', { timeout: INSTALL_TIMEOUT_MS * 3 }, () => {
  const work = tempDir('tokengate-pack-');
  const prefix = join(work.path, 'prefix');
  const bin = join(prefix, 'bin', 'tokengate');
  /** A copy of the checkout: packing builds its dist/ (prepack), as `npm run build` would in a clone. */
  const tree = join(work.path, 'tree');
  let serving: ChildProcess | null = null;

  before(() => {
    copyTrackedTree(tree);
    npm(['pack', '--silent', '--pack-destination', work.path], tree);
    const tarball = readdirSync(work.path).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball !== undefined, 'npm pack wrote a tarball');
    npm(
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', join(work.path, tarball)],
      work.path,
    );
    copyNativeBuilds(join(prefix, 'lib', 'node_modules', 'tokengate'));
  });

  after(() => {
    serving?.kill('SIGKILL');
    work.remove();
  });

  it('tokengate --version prints the package version', () => {
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(out.trim(), `tokengate ${VERSION}`);
  });

  it('inside the clone, after the build, npx tokengate runs the same command', () => {
    const out = npm(['exec', '--no', '--', 'tokengate', '--version'], tree);
    assert.equal(out.trim(), `tokengate ${VERSION}`);
  });

  it('tokengate serve --demo starts and a call with the printed token goes through', async () => {
    serving = spawn(
      bin,
      ['serve', '--demo', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(work.path, 'data')],
      {
        cwd: work.path,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const [secretLine, listeningLine] = await Promise.all([
      waitForLine(serving, /\n\s+(tgp_\w+)\n/, 60_000),
      waitForLine(serving, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000),
    ]);
    const basic = Buffer.from(`admin:${secretLine[1]}`).toString('base64');
    const response = await fetch(`${listeningLine[1]}/rest/api/space`, {
      headers: { authorization: `Basic ${basic}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    assert.ok(Array.isArray(((await response.json()) as { results?: unknown }).results));
  });

  it('the package exports the library with its types (and no test files)', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'tokengate');
    const shipped = execFileSync('find', ['dist', '-name', '*.d.ts'], { cwd: installed, encoding: 'utf8' });
    assert.match(shipped, /^dist\/lib\/index\.d\.ts$/m);
    assert.doesNotMatch(shipped, /\.test\.d\.ts|test-helpers|dist\/testing\//);

    const project = join(work.path, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed, join(project, 'node_modules', 'tokengate'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
    const source = `
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, createTokengate, parseLimitTo, type Tokengate, type TokengateRequest } from 'tokengate';

const parsed = parseLimitTo('[GET].*/rest/api/space.*');
if (!parsed.ok) throw new Error(parsed.error.message);
const checked = checkRequest(parsed.ruleSet, { method: 'GET', url: '/rest/api/space' });
const tg: Tokengate = await createTokengate({ config: { dataDir: process.argv[2], logLevel: 'error' }, env: {} });
const middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void = tg.middleware();
const server = createServer((req, res) => middleware(req, res, () => res.end((req as TokengateRequest).tokengate?.user)));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const answer = await fetch(\`http://127.0.0.1:\${(server.address() as AddressInfo).port}/rest/api/space\`);
server.close();
await tg.close();
console.log(JSON.stringify({ allowed: checked.ok && checked.verdict.allowed, status: answer.status }));
`;
    writeFileSync(join(project, 'app.ts'), source);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['app.ts'],
      }),
    );
    // the types resolve through `exports` and the shipped declaration files
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
      encoding: 'utf8',
    });
    // and the code runs from the installed package (types stripped by tsx, the module itself is the package's)
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
        'app.ts',
        join(work.path, 'lib-data'),
      ],
      { cwd: project, encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1) ?? ''), { allowed: true, status: 401 });
  });
});
