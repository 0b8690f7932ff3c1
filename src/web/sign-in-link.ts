/**
 * A member's sign-in link carries its id and a MAC of that id under a key derived from the master
 * key: the database holds the id alone, so neither a dump nor a log line of the outbox row opens a
 * session. No Nest or database imports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function signInLinkKey(masterKey: Buffer): Buffer {
  return createHmac('sha256', masterKey).update('lanterne-web-sign-in-link-key').digest();
}

function mac(key: Buffer, linkId: string): Buffer {
  return createHmac('sha256', key).update(`lanterne-sign-in-link\n${linkId}`).digest();
}

export function signInLinkToken(key: Buffer, linkId: string): string {
  return `${linkId}.${mac(key, linkId).toString('base64url')}`;
}

/** The link id the token names, or null when the token was not made with this key. */
export function linkIdOf(key: Buffer, token: string): string | null {
  const [linkId, tag, ...rest] = token.split('.');
  if (rest.length > 0 || !linkId || !tag || !UUID.test(linkId)) return null;
  const given = Buffer.from(tag, 'base64url');
  const expected = mac(key, linkId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? linkId : null;
}
