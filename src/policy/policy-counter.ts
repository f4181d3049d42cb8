import type { Store } from '../store/store.js';

/**
 * Where rate-limit windows and quotas are counted, the same count for every node: the database
 * (the {@link Store}), or Redis for rate-limit windows when configured. Both methods are atomic.
 */
export type PolicyCounter = Pick<Store, 'countRateWindow' | 'useQuota'>;
