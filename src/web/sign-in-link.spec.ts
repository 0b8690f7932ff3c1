import { randomBytes, randomUUID } from 'node:crypto';
import { linkIdOf, signInLinkKey, signInLinkToken } from './sign-in-link';

describe('sign-in link tokens', () => {
  const key = signInLinkKey(randomBytes(32));

  it('name their link under the key that made them', () => {
    const id = randomUUID();
    expect(linkIdOf(key, signInLinkToken(key, id))).toBe(id);
  });

  it('are refused under another key, altered, truncated or malformed', () => {
    const id = randomUUID();
    const token = signInLinkToken(key, id);
    expect(linkIdOf(signInLinkKey(randomBytes(32)), token)).toBeNull();
    expect(linkIdOf(key, `${randomUUID()}.${token.split('.')[1]}`)).toBeNull();
    expect(linkIdOf(key, token.slice(0, -2))).toBeNull();
    expect(linkIdOf(key, `${token}.x`)).toBeNull();
    expect(linkIdOf(key, 'not-a-token')).toBeNull();
  });
});
