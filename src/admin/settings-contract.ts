import { ADMIN_BASE } from '../http/paths.js';
import { ok, settingsViewSchema } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

/** `GET /rest/extender/1.0/tokenTools/settings` — the runtime settings and the (startup-only) secure mode. */
export const settingsContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/settings`,
  summary: 'Runtime settings and secure mode',
  responses: { 200: { description: 'Settings', schema: z.object({ status: ok, settings: settingsViewSchema }) } },
  errors: [401],
});
