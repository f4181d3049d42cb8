import { isPlainObject, type Layer, type Origins } from './config-layer.js';

export const WEBHOOK_URL_ENV = 'TOKENGATE_WEBHOOK_URL';
export const WEBHOOK_SECRET_ENV = 'TOKENGATE_WEBHOOK_SECRET';
export const WEBHOOK_EXPIRING_DAYS_ENV = 'TOKENGATE_WEBHOOK_EXPIRING_DAYS';

/** `webhooks` of a layer in its object shape (a plain list is short for `{receivers: LIST}`). */
function objectShape(value: unknown): Layer | undefined {
  if (value === undefined) return {};
  if (Array.isArray(value)) return { receivers: value };
  return isPlainObject(value) ? { ...value } : undefined;
}

/**
 * Applies the webhook variables to the merged configuration: `TOKENGATE_WEBHOOK_URL` with
 * `TOKENGATE_WEBHOOK_SECRET` add one receiver (of every event) to those of the file;
 * `TOKENGATE_WEBHOOK_EXPIRING_DAYS` (comma-separated days) replaces `webhooks.expiringDays`.
 * Returns the problems found (one variable of the pair without the other).
 */
export function applyWebhookEnv(
  merged: Layer,
  env: Readonly<Record<string, string | undefined>>,
  origins: Origins,
): string[] {
  const url = env[WEBHOOK_URL_ENV]?.trim() ?? '';
  const secret = env[WEBHOOK_SECRET_ENV] ?? '';
  const days = env[WEBHOOK_EXPIRING_DAYS_ENV]?.trim() ?? '';
  if ((url === '') !== (secret === '')) {
    const [given, missing] = url === '' ? [WEBHOOK_SECRET_ENV, WEBHOOK_URL_ENV] : [WEBHOOK_URL_ENV, WEBHOOK_SECRET_ENV];
    return [`${given} is set but ${missing} is not: give both (the receiver's URL and the key of its signature)`];
  }
  if (url === '' && days === '') return [];
  const webhooks = objectShape(merged.webhooks);
  // a wrong shape is reported by the schema; the variables cannot be added to it
  if (webhooks === undefined) return [];
  if (url !== '') {
    const list = Array.isArray(webhooks.receivers) ? [...webhooks.receivers] : [];
    origins.set(`webhooks.receivers[${list.length}]`, `${WEBHOOK_URL_ENV} and ${WEBHOOK_SECRET_ENV}`);
    list.push({ url, secret });
    webhooks.receivers = list;
  }
  if (days !== '') {
    webhooks.expiringDays = days.split(',').map((d) => {
      const text = d.trim();
      return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    });
    origins.set('webhooks.expiringDays', WEBHOOK_EXPIRING_DAYS_ENV);
  }
  merged.webhooks = webhooks;
  return [];
}
