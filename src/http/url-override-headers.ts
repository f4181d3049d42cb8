/**
 * Headers that make some upstreams (IIS, Symfony, Zend, Spring, proxies) read another URL than
 * the request line's. The gateway never forwards them; the decision endpoint refuses a request
 * that carries one (a proxy in front forwards what the client sent).
 */
export const URL_OVERRIDE_HEADERS: readonly string[] = [
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'x-override-url',
  'x-forwarded-uri',
  'x-forwarded-path',
  'x-forwarded-prefix',
  'x-envoy-original-path',
  'x-original-host',
  'x-host',
  'x-http-host-override',
];
