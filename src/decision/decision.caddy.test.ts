/**
 * Black-box: real Caddy (`forward_auth`, src/decision/proxy-configs/caddy-forward-auth.Caddyfile)
 * in front of a real recording upstream, asking a real `tokengate serve` on its decision listener.
 */
import { describe } from 'node:test';
import { installed, startCaddy } from '../testing/front-proxy.js';
import { decisionScenarios, withoutUpstreamCredential } from './decision.test-helpers.js';

const skip = installed('caddy', ['version']) ? false : 'caddy is not installed (Debian: apt-get install -y caddy)';

describe('decisions for Caddy forward_auth', { skip }, () => {
  decisionScenarios(startCaddy);
});

describe('decisions for Caddy without an upstream credential', { skip }, () => {
  withoutUpstreamCredential(startCaddy);
});
