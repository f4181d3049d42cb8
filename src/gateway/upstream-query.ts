/** Confluence's credential parameters: never forwarded. */
const CREDENTIAL_PARAMS = new Set(['os_username', 'os_password', 'os_authtype']);
/** Their lengths: a name of another length needs no lower-casing to know it is none of them. */
const CREDENTIAL_PARAM_LENGTHS = new Set([...CREDENTIAL_PARAMS].map((name) => name.length));

/** True for `os_username`, `os_password`, `os_authType` in any letter case. */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_PARAM_LENGTHS.has(name.length) && CREDENTIAL_PARAMS.has(name.toLowerCase());
}

function decodedName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The query string forwarded upstream: as received, minus Confluence's `os_username`,
 * `os_password` and `os_authType` (names compared decoded and case-insensitively).
 *
 * @example
 * upstreamQuery('spaceKey=PM&os_password=x', query) // 'spaceKey=PM'
 */
export function upstreamQuery(rawQuery: string, query: ReadonlyMap<string, readonly string[]>): string {
  if (rawQuery === '') return '';
  let hasCredential = false;
  for (const name of query.keys()) {
    if (isCredentialParam(name)) {
      hasCredential = true;
      break;
    }
  }
  if (!hasCredential) return rawQuery;
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '' && !CREDENTIAL_PARAMS.has(decodedName(pair)))
    .join('&');
}
