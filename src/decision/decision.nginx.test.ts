/**
 * Black-box: real nginx (`auth_request`, src/decision/proxy-configs/nginx-auth-request.conf) in
 * front of a real recording upstream, asking a real `tokengate serve` on its decision listener.
 */
import { describe } from 'node:test';
import { installed, startNginx } from '../testing/front-proxy.js';
import { decisionScenarios, withoutUpstreamCredential } from './decision.test-helpers.js';

const skip = installed('nginx', ['-v']) ? false : 'nginx is not installed (Debian: apt-get install -y nginx)';

describe('decisions for nginx auth_request', { skip }, () => {
  decisionScenarios(startNginx);
});

describe('decisions for nginx without an upstream credential', { skip }, () => {
  withoutUpstreamCredential(startNginx);
});
