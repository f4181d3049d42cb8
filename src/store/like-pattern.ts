/**
 * A LIKE pattern matching values that contain `text` (lower-cased), with `%`, `_` and `\`
 * taken literally: use it with `escape '\'` against a lower-cased column.
 *
 * @example
 * likeContains('50%_off') // '%50\%\_off%'
 */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
