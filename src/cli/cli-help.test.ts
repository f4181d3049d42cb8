/**
 * Every command answers `--help` and `-h` with its usage on stdout and exit 0, without opening
 * anything; `tokengate --version` prints the package's version.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertOk, runCliAsync } from '../testing/cli.js';
import type { CliIo } from './cli-io.js';
import { runTokengate } from './cli-run.js';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;

/** Runs `tokengate ARGV…` in this process; the data directory points nowhere, so opening anything would fail. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: () => Promise.reject(new Error('stdin is not read for --help')),
    stdinIsTty: false,
    env: { TOKENGATE_DATA_DIR: '/nonexistent/tokengate-help-test' },
  };
  const code = await runTokengate(argv, io);
  return { code, stdout, stderr };
}

/** Each command line and the usage it must print (its first line). */
const HELP_CASES: readonly (readonly [string[], RegExp])[] = [
  [['help'], /^Usage: tokengate <command>/],
  [['serve'], /^Usage: tokengate serve /],
  [['user'], /^Usage: tokengate user /],
  [['user', 'add'], /^Usage: tokengate user /],
  [['user', 'list'], /^Usage: tokengate user /],
  [['user', 'disable'], /^Usage: tokengate user /],
  [['user', 'enable'], /^Usage: tokengate user /],
  [['user', 'passwd'], /^Usage: tokengate user /],
  [['token'], /^Usage: tokengate token /],
  [['token', 'create'], /^Usage: tokengate token /],
  [['token', 'list'], /^Usage: tokengate token /],
  [['token', 'delete'], /^Usage: tokengate token /],
  [['token', 'reveal'], /^Usage: tokengate token /],
  [['check'], /^Usage: tokengate check /],
  [['audit'], /^Usage: tokengate audit /],
];

describe('tokengate CLI help and version', () => {
  for (const [command, usage] of HELP_CASES) {
    for (const flag of ['--help', '-h']) {
      const argv = command[0] === 'help' ? [flag] : [...command, flag];
      test(`tokengate ${argv.join(' ')}: usage on stdout, exit 0`, async () => {
        const result = await run(argv);
        assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
        assert.equal(result.stderr, '');
        assert.match(result.stdout, usage);
        assert.match(result.stdout, /--help/, 'the usage names --help');
      });
    }
  }

  test('tokengate help: the top-level usage, exit 0', async () => {
    const result = await run(['help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: tokengate <command>/);
  });

  test('tokengate serve with a bad option: one line pointing at its help, exit 2', async () => {
    const result = await run(['serve', '--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^tokengate: Unknown option '--bogus'.* \(see: tokengate serve --help\)\n$/);
    assert.equal(result.stdout, '');
  });

  test('tokengate --version and -V print the package version, exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `tokengate ${PACKAGE_VERSION}\n`);
    }
  });

  test('the real process: serve --help and --version exit 0', async () => {
    assert.match(assertOk(await runCliAsync(['serve', '--help'])), /^Usage: tokengate serve /);
    assert.equal(assertOk(await runCliAsync(['--version'])), `tokengate ${PACKAGE_VERSION}\n`);
  });
});
