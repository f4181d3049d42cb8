import type { AuthType } from '../store/models.js';

export const SNIPPET_LANGUAGES = ['curl', 'javascript', 'python'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

export interface SnippetInput {
  readonly lang: SnippetLanguage;
  readonly authType: AuthType;
  /** Public base URL of tokengate, no trailing slash. */
  readonly baseUrl: string;
  /** Path to call, e.g. `/rest/api/space`. */
  readonly path: string;
  /** The token's user, or null for an unbound token (any user, Basic only). */
  readonly user: string | null;
  /** The secret, or null when it may not be shown (a placeholder is used instead). */
  readonly secret: string | null;
}

export const SECRET_PLACEHOLDER = '<YOUR_TOKEN>';
export const USER_PLACEHOLDER = '<USERNAME>';

/** Single-quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Ready-to-run code that calls tokengate with a token: Basic when the setting allows it (and
 * always for an unbound token), otherwise Bearer.
 *
 * @example
 * snippet({ lang: 'curl', authType: 'basic', baseUrl: 'https://gate', path: '/rest/api/space', user: 'admin', secret: null })
 * // curl -s -u 'admin:<YOUR_TOKEN>' 'https://gate/rest/api/space'
 */
export function snippet(input: SnippetInput): string {
  const url = input.baseUrl + input.path;
  const secret = input.secret ?? SECRET_PLACEHOLDER;
  const user = input.user ?? USER_PLACEHOLDER;
  const useBasic =
    input.authType === 'basic' || (input.authType === 'both' && input.user === null) || input.user === null;
  switch (input.lang) {
    case 'curl':
      return useBasic
        ? `curl -s -u ${shellQuote(`${user}:${secret}`)} ${shellQuote(url)}`
        : `curl -s -H ${shellQuote(`Authorization: Bearer ${secret}`)} ${shellQuote(url)}`;
    case 'javascript': {
      const header = useBasic
        ? `'Basic ' + btoa(${JSON.stringify(`${user}:${secret}`)})`
        : JSON.stringify(`Bearer ${secret}`);
      return [
        `const response = await fetch(${JSON.stringify(url)}, {`,
        `  headers: { Authorization: ${header}, Accept: 'application/json' },`,
        '});',
        'console.log(response.status, await response.json());',
      ].join('\n');
    }
    case 'python': {
      const auth = useBasic
        ? `auth=(${JSON.stringify(user)}, ${JSON.stringify(secret)})`
        : `headers={"Authorization": ${JSON.stringify(`Bearer ${secret}`)}}`;
      return [
        'import requests',
        '',
        `response = requests.get(${JSON.stringify(url)}, ${auth})`,
        'print(response.status_code, response.json())',
      ].join('\n');
    }
  }
}
