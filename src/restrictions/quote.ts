import { MAX_QUOTED_LENGTH } from './limits.js';

/**
 * `text` cut to `max` characters with `…` when longer (never splitting a surrogate pair).
 *
 * @example
 * shorten('abcdef', 3) // 'abc…'
 */
export function shorten(text: string, max: number = MAX_QUOTED_LENGTH): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

/**
 * `text` shortened and in double quotes, with control characters and quotes escaped (JSON style),
 * so that a value in a reason cannot break the line or fake another part of the message.
 *
 * @example
 * quote('a"b\n') // '"a\\"b\\n"'
 */
export function quote(text: string, max: number = MAX_QUOTED_LENGTH): string {
  return JSON.stringify(shorten(text, max));
}
