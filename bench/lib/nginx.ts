import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `user:{SHA}base64(sha1(password))`, the htpasswd line nginx's auth_basic checks with one SHA-1. */
export function shaPasswordLine(user: string, password: string): string {
  return `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}`;
}

export interface NginxSetup {
  /** Directory of the template (bench/nginx). */
  readonly templateDir: string;
  /** Template file name in `templateDir` (default nginx.conf.template, rows 3 and 4). */
  readonly template?: string;
  /** Port of tokengate's decision listener (row 9's template). */
  readonly decisionPort?: number;
  /** Empty directory that becomes nginx's prefix (config, pid, logs, temp files). */
  readonly prefix: string;
  readonly upstreamPort: number;
  readonly proxyPort: number;
  readonly authPort: number;
  readonly user: string;
  readonly password: string;
}

/** Where the written instance keeps its files. */
export interface NginxFiles {
  readonly config: string;
  readonly errorLog: string;
}

/** `nogroup` where it exists (Debian), else `nobody`. */
function unprivilegedGroup(): string {
  try {
    return /^nogroup:/m.test(readFileSync('/etc/group', 'utf8')) ? 'nogroup' : 'nobody';
  } catch {
    return 'nobody';
  }
}

/**
 * Writes the config (from bench/nginx/nginx.conf.template) and the password file into `prefix`.
 * Run as root, nginx's worker drops to nobody: the prefix is made world-readable then (it holds
 * only this run's throw-away password digest).
 */
export function writeNginxConfig(setup: NginxSetup): NginxFiles {
  const asRoot = process.getuid?.() === 0;
  const values: Record<string, string> = {
    USER_LINE: asRoot ? `user nobody ${unprivilegedGroup()};` : '# not root: the worker keeps this user',
    PREFIX: setup.prefix,
    UPSTREAM_PORT: String(setup.upstreamPort),
    PROXY_PORT: String(setup.proxyPort),
    AUTH_PORT: String(setup.authPort),
    DECISION_PORT: String(setup.decisionPort ?? 0),
  };
  const template = readFileSync(join(setup.templateDir, setup.template ?? 'nginx.conf.template'), 'utf8');
  const text = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx template: unknown placeholder ${whole}`);
    return value;
  });
  const config = join(setup.prefix, 'nginx.conf');
  writeFileSync(config, text);
  writeFileSync(join(setup.prefix, 'htpasswd'), `${shaPasswordLine(setup.user, setup.password)}\n`);
  if (asRoot) {
    chmodSync(setup.prefix, 0o755);
    chmodSync(join(setup.prefix, 'htpasswd'), 0o644);
  }
  return { config, errorLog: join(setup.prefix, 'error.log') };
}

/** The arguments that start (or, with `-t`, test) this instance. */
export function nginxArgs(prefix: string, files: NginxFiles, test = false): string[] {
  return [...(test ? ['-t', '-q'] : []), '-p', `${prefix}/`, '-c', files.config, '-e', files.errorLog];
}
