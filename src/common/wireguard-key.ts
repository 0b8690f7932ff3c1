/**
 * WireGuard keys as wg(8) writes them: base64 of exactly 32 bytes, 44 characters ending in "=".
 * wg refuses any other spelling (its decoder checks the length, the padding and that the unused
 * low bits of the last character are zero), so Lanterne refuses them too: a key that Lanterne
 * stores is one that the router will load, and one key has one spelling (what the unique index
 * compares). Pure functions, no imports.
 */
export const WIREGUARD_KEY_BYTES = 32;

export type WireguardKeyCheck = { ok: true; key: string } | { ok: false; reason: string };

export function checkWireguardKey(text: string): WireguardKeyCheck {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return { ok: false, reason: 'must be base64 (A-Z, a-z, 0-9, + and /), as `wg pubkey` prints it' };
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== WIREGUARD_KEY_BYTES) {
    return { ok: false, reason: `must encode exactly ${WIREGUARD_KEY_BYTES} bytes; this encodes ${bytes.length}` };
  }
  if (bytes.toString('base64') !== text) return { ok: false, reason: `is not the canonical base64 of its 32 bytes, which is ${bytes.toString('base64')}` };
  return { ok: true, key: text };
}
