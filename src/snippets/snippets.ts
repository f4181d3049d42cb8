import type { AuthType } from '../store/models.js';
import { type ExampleRequest, queryString } from './example-request.js';
import { postmanCollection } from './postman-collection.js';

export const SNIPPET_LANGUAGES = ['curl', 'javascript', 'python', 'postman'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

/** How a snippet authenticates: what the page says above it must be this. */
export type SnippetAuth = 'basic' | 'bearer';

export interface SnippetInput {
  readonly lang: SnippetLanguage;
  readonly authType: AuthType;
  /** Public base URL of tokengate, no trailing slash. */
  readonly baseUrl: string;
  /** The call to make (see `exampleRequest`). */
  readonly request: ExampleRequest;
  /** The token's user, or null for an unbound token (any user, Basic only). */
  readonly user: string | null;
  /** The secret, or null when it may not be shown (a placeholder is used instead). */
  readonly secret: string | null;
  /** Names the Postman collection. */
  readonly label: string;
}

export const SECRET_PLACEHOLDER = '<YOUR_TOKEN>';
export const USER_PLACEHOLDER = '<USERNAME>';

/**
 * Basic when the setting allows only Basic, and always for an unbound token (Bearer cannot say
 * which user); Bearer otherwise (the setting allows it, and it needs no username).
 */
export function snippetAuth(authType: AuthType, user: string | null): SnippetAuth {
  return authType === 'basic' || user === null ? 'basic' : 'bearer';
}

/** Single-quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A string literal in JavaScript and in Python alike (JSON's escapes are valid in both). */
const literal = (value: string): string => JSON.stringify(value);

function curl(input: SnippetInput, url: string, auth: SnippetAuth, user: string, secret: string): string[] {
  const { method, body } = input.request;
  const lines = [
    method === 'HEAD' ? 'curl -sS --head' : method === 'GET' ? 'curl -sS' : `curl -sS -X ${method}`,
    auth === 'basic' ? `-u ${shellQuote(`${user}:${secret}`)}` : `-H ${shellQuote(`Authorization: Bearer ${secret}`)}`,
    `-H 'Accept: application/json'`,
  ];
  if (body !== undefined)
    lines.push(`-H 'Content-Type: application/json'`, `--data ${shellQuote(JSON.stringify(body))}`);
  lines.push(shellQuote(url));
  return lines
    .map((line, i) => (i === 0 ? line : `  ${line}`))
    .map((line, i, all) => (i < all.length - 1 ? `${line} \\` : line));
}

function javascript(input: SnippetInput, url: string, auth: SnippetAuth, user: string, secret: string): string[] {
  const { method, body } = input.request;
  const authorization =
    auth === 'basic' ? `'Basic ' + btoa(${literal(`${user}:${secret}`)})` : literal(`Bearer ${secret}`);
  return [
    `const response = await fetch(${literal(url)}, {`,
    `  method: ${literal(method)},`,
    '  headers: {',
    `    Authorization: ${authorization},`,
    `    Accept: 'application/json',`,
    ...(body === undefined ? [] : [`    'Content-Type': 'application/json',`]),
    '  },',
    ...(body === undefined ? [] : [`  body: JSON.stringify(${JSON.stringify(body)}),`]),
    '});',
    'console.log(response.status, await response.text());',
  ];
}

function python(input: SnippetInput, url: string, auth: SnippetAuth, user: string, secret: string): string[] {
  const { method, body } = input.request;
  const authorization =
    auth === 'basic'
      ? `"Basic " + base64.b64encode(${literal(`${user}:${secret}`)}.encode("utf-8")).decode("ascii")`
      : literal(`Bearer ${secret}`);
  return [
    ...(auth === 'basic' ? ['import base64'] : []),
    'import urllib.error',
    'import urllib.request',
    '',
    'request = urllib.request.Request(',
    `    ${literal(url)},`,
    `    method=${literal(method)},`,
    ...(body === undefined ? [] : [`    data=${literal(JSON.stringify(body))}.encode("utf-8"),`]),
    '    headers={',
    `        "Authorization": ${authorization},`,
    '        "Accept": "application/json",',
    ...(body === undefined ? [] : ['        "Content-Type": "application/json",']),
    '    },',
    ')',
    'try:',
    '    with urllib.request.urlopen(request) as response:',
    '        print(response.status, response.read().decode("utf-8"))',
    'except urllib.error.HTTPError as error:',
    '    print(error.code, error.read().decode("utf-8"))',
    '    raise SystemExit(1)',
  ];
}

/**
 * Ready-to-run code that makes `input.request` with the token (see `snippetAuth`): curl,
 * JavaScript (`fetch`), Python (standard library only) or a Postman collection (v2.1 JSON). When
 * the request is not one the token allows, the code starts with a note that says why.
 *
 * @example
 * snippet({ lang: 'curl', authType: 'basic', baseUrl: 'https://gate', request, user: 'admin', secret: null, label: 'ci' })
 * // curl -sS \
 * //   -u 'admin:<YOUR_TOKEN>' \
 * //   -H 'Accept: application/json' \
 * //   'https://gate/rest/api/space'
 */
export function snippet(input: SnippetInput): string {
  const auth = snippetAuth(input.authType, input.user);
  const secret = input.secret ?? SECRET_PLACEHOLDER;
  const user = input.user ?? USER_PLACEHOLDER;
  if (input.lang === 'postman') return postmanCollection({ ...input, auth, user, secret });
  const url = input.baseUrl + input.request.path + queryString(input.request.query);
  const note = input.request.problem === null ? [] : [`Note: ${input.request.problem}.`];
  switch (input.lang) {
    case 'curl':
      return [...note.map((n) => `# ${n}`), ...curl(input, url, auth, user, secret)].join('\n');
    case 'javascript':
      return [...note.map((n) => `// ${n}`), ...javascript(input, url, auth, user, secret)].join('\n');
    case 'python':
      return [...note.map((n) => `# ${n}`), ...python(input, url, auth, user, secret)].join('\n');
  }
}
