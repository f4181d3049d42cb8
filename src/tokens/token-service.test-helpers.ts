/** Builds a TokenService over a memory store for unit tests. */
import { randomBytes } from 'node:crypto';
import type { User } from '../store/models.js';
import { createDigester } from './digest.js';
import { MemoryStore } from './memory-store.test-helpers.js';
import { createSecretBox } from './secret-box.js';
import { TokenService } from './token-service.js';

export interface Harness {
  readonly store: MemoryStore;
  readonly tokens: TokenService;
  readonly digest: (secret: string) => string;
  /** Moves the injected clock. */
  setNow(ms: number): void;
}

export function harness(options: { secureMode?: boolean; maxExpiryDays?: number | null; now?: number } = {}): Harness {
  const store = new MemoryStore();
  let now = options.now ?? 1_700_000_000_000;
  const digest = createDigester(randomBytes(32));
  const tokens = new TokenService({
    store: store.asStore(),
    config: { secureMode: options.secureMode ?? false, maxExpiryDays: options.maxExpiryDays ?? null },
    digest,
    secretBox: createSecretBox(randomBytes(32)),
    now: () => now,
  });
  return {
    store,
    tokens,
    digest,
    setNow: (ms) => {
      now = ms;
    },
  };
}

export function user(username: string, admin = false, active = true): User {
  return { username, email: null, displayName: null, admin, active, passwordHash: null, dateCreated: 0 };
}

/** Adds users to the memory store; returns them. */
export async function addUsers(store: MemoryStore, ...users: User[]): Promise<User[]> {
  for (const u of users) await store.createUser(u);
  return users;
}
