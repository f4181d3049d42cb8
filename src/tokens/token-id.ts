import { randomBytes } from 'node:crypto';

/**
 * A new token id: 16 random bytes in base64url (22 characters), never starting with `-` or `_`,
 * so that `tokengate token reveal ID` never reads an id as an option (one in 32 ids did).
 */
export function newTokenId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id[0] !== '-' && id[0] !== '_') return id;
  }
}
