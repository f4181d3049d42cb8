/**
 * Standard methods as bits, so that a parsed rule checks the method with one `&` instead of a
 * `Set` lookup. Other methods have no bit (0): rules then fall back to their `Set`.
 */

/** Set in a rule's mask when it lists a method without a bit. */
export const OTHER_METHODS = 512;

/**
 * The bit of an upper-case method, or 0 when it has none.
 *
 * @example
 * methodBit('POST') // 4
 * methodBit('PROPFIND') // 0
 */
export function methodBit(method: string): number {
  switch (method) {
    case 'GET':
      return 1;
    case 'POST':
      return 4;
    case 'PUT':
      return 8;
    case 'DELETE':
      return 16;
    case 'PATCH':
      return 256;
    case 'HEAD':
      return 2;
    case 'OPTIONS':
      return 64;
    case 'CONNECT':
      return 32;
    case 'TRACE':
      return 128;
    default:
      return 0;
  }
}

/**
 * The mask of a method list: the bits of its standard methods, plus `OTHER_METHODS` when it
 * lists another one.
 */
export function methodMask(methods: readonly string[]): number {
  let mask = 0;
  for (const method of methods) mask |= methodBit(method) || OTHER_METHODS;
  return mask;
}
