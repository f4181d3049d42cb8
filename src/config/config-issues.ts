import type { z } from 'zod';
import type { Origins } from './config-layer.js';
import { CONFIG_OPTIONS } from './config-options.js';

const KNOWN_KEYS = CONFIG_OPTIONS.map((o) => o.key).concat([
  'upstream',
  'upstream.credentials.type',
  'database',
  'auth',
  'audit',
  'tls',
  'webhooks',
  'webhooks.receivers',
  'webhooks.expiringDays',
  'webhooks.timeoutMs',
  'webhooks.maxAttempts',
  'webhooks.retryBaseMs',
  'webhooks.retryMaxMs',
  'webhooks.pollMs',
  'webhooks.scanMs',
]);

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function suggestion(path: string): string {
  const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.') + 1) : '';
  const best = KNOWN_KEYS.filter((k) => k.startsWith(parent) && !k.slice(parent.length).includes('.'))
    .map((k) => ({ k, d: editDistance(k.toLowerCase(), path.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= 3 ? ` (did you mean "${best.k}"?)` : '';
}

/** One sentence per problem: the option's path, what is wrong, and where the value came from. */
export function describeIssues(issues: readonly z.ZodIssue[], origins: Origins): string[] {
  const from = (path: string) => {
    const source = origins.describe(path);
    return source === undefined ? '' : ` (from ${source})`;
  };
  return issues.flatMap((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const full = path === '' ? key : `${path}.${key}`;
        return `unknown option "${full}"${suggestion(full)}${from(full)}`;
      });
    }
    const message = issue.code === 'invalid_type' && issue.received === 'null' ? 'must not be null' : issue.message;
    return [`${path === '' ? 'configuration' : path}: ${message}${from(path)}`];
  });
}
