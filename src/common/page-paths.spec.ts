import { isPageUrl, pagePathOf, routedUrl } from './page-paths';

describe('page paths', () => {
  it('routes every URL outside the API, the probe and the docs to the pages', () => {
    expect(routedUrl('/')).toBe('/pages');
    expect(routedUrl('/?lang=en')).toBe('/pages?lang=en');
    expect(routedUrl('/me')).toBe('/pages/me');
    expect(routedUrl('/sign-in/link/abc')).toBe('/pages/sign-in/link/abc');
    expect(routedUrl('/transparency?x=1')).toBe('/pages/transparency?x=1');
  });

  it('leaves the API, /health and /docs alone, whatever their case', () => {
    for (const url of ['/api/v1/me', '/API/v1/transparency', '/health', '/health?x', '/docs/', '/docs/swagger-ui.css', '/api']) expect(routedUrl(url)).toBe(url);
    expect(routedUrl('/apiary')).toBe('/pages/apiary');
    expect(routedUrl('/healthy')).toBe('/pages/healthy');
  });

  it('shows the page path people see, and tells pages from the rest', () => {
    expect(pagePathOf('/pages')).toBe('/');
    expect(pagePathOf('/pages/me/data?format=html')).toBe('/me/data');
    expect(isPageUrl('/pages/me')).toBe(true);
    expect(isPageUrl('/pages')).toBe(true);
    expect(isPageUrl('/api/v1/me')).toBe(false);
    expect(isPageUrl('/pagesx')).toBe(false);
  });
});
