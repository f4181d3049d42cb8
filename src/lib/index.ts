/**
 * tokengate as a library: the same engine as `tokengate serve` inside a Node server — a
 * `node:http` request handler, an Express / Connect middleware, and the pure rule engine.
 *
 * @example
 * import { createTokengate } from 'tokengate';
 * const tg = await createTokengate({ config: { dataDir: './data' } });
 * app.use('/api', tg.middleware());
 * app.get('/api/hello', (req, res) => res.json({ hello: req.tokengate?.user }));
 */
import type { TokengateIdentity } from './identity.js';

export type { Services } from '../app/open-services.js';
export type { Config } from '../config/config.js';
export type { Logger } from '../log/logger.js';
export {
  describeVerdict,
  evaluate,
  parseLimitTo,
} from '../restrictions/index.js';
export type { ParseError, ParseResult, Rule, RuleSet, Verdict } from '../restrictions/types.js';
export { type CheckResult, checkRequest, type RequestDescription } from './check-request.js';
export type { TokengateIdentity, TokengateRequest } from './identity.js';
export type { MiddlewareOptions, TokengateMiddleware } from './middleware.js';
export { createTokengate, type Tokengate, TokengateConfigError, type TokengateOptions } from './tokengate.js';

declare global {
  // Express's request type gets `req.tokengate` (declaration merging; harmless without Express).
  namespace Express {
    interface Request {
      tokengate?: TokengateIdentity;
    }
  }
}
