import { ok, settingsViewSchema } from './admin-schemas.js';
import { defineContract, TOKEN_TOOLS, z } from './endpoint-contract.js';

/** `GET /rest/extender/1.0/tokenTools/settings` — the runtime settings and the (startup-only) secure mode. */
export const settingsContract = defineContract({
  method: 'GET',
  path: `${TOKEN_TOOLS}/settings`,
  summary: 'Runtime settings and secure mode',
  responses: { 200: { description: 'Settings', schema: z.object({ status: ok, settings: settingsViewSchema }) } },
  errors: [401],
});
