import type { CallLog } from '../audit/call-log.js';
import type { AddressWatch } from '../policy/webhooks/address-watch.js';

/**
 * The gateway's call log, with every successful call also noted by the address watch
 * (`token.new_address`): a synchronous map look-up, whatever the `usageDetails` setting.
 */
export function watchingAddresses(inner: CallLog, watch: AddressWatch): CallLog {
  return {
    record: (input) => inner.record(input),
    recordAdmin: (input) => inner.recordAdmin(input),
    countUsage(tokenId, ip, time) {
      inner.countUsage(tokenId, ip, time);
      watch.observe(tokenId, ip);
    },
    hasRoom: () => inner.hasRoom(),
    waitForRoom: (timeoutMs) => inner.waitForRoom(timeoutMs),
    logError: (err) => inner.logError(err),
  };
}
