import { negotiate } from './accept';

const OFFERS = ['application/json', 'text/plain'] as const;

describe('negotiate', () => {
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['text/plain', 'text/plain'],
    ['text/*', 'text/plain'],
    ['application/json, text/plain', 'application/json'],
    ['text/plain, application/json;q=0.5', 'text/plain'],
    ['application/json;q=0.1, text/plain;q=0.9', 'text/plain'],
    ['text/plain;q=0, */*', 'application/json'],
    ['image/png', 'application/json'],
  ])('accept %p chooses %s', (accept, chosen) => {
    expect(negotiate(accept, OFFERS)).toBe(chosen);
  });
});
