import { pageLinks } from './page-links';

describe('page links', () => {
  it('keep the filters given, drop the unset ones, and stop at both ends', () => {
    expect(pageLinks('/tech', { q: 'Camille', status: undefined }, { limit: 50, offset: 0, total: 120 })).toEqual({ previous: null, next: '/tech?q=Camille&offset=50' });
    expect(pageLinks('/tech', { q: 'Camille' }, { limit: 50, offset: 100, total: 120 })).toEqual({ previous: '/tech?q=Camille&offset=50', next: null });
    expect(pageLinks('/admin/accounts', { limit: '20' }, { limit: 20, offset: 10, total: 25 })).toEqual({ previous: '/admin/accounts?limit=20&offset=0', next: null });
  });
});
