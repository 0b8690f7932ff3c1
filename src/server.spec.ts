import type { IncomingMessage, ServerResponse } from 'node:http';
import { helmetHeaders } from './server';

describe("helmet's headers, computed once", () => {
  it('are the headers helmet sets, with the options given', () => {
    const headers = new Map(helmetHeaders({ contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"] } }, frameguard: { action: 'deny' } }));
    expect(headers.get('X-Frame-Options')).toBe('DENY');
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it('refuse a directive that depends on the request, which a fixed list cannot carry', () => {
    const perRequest = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${String(res.getHeader('x'))}'`;
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { 'script-src': [perRequest] } } })).toThrow();
  });
});
