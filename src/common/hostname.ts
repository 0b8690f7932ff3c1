/**
 * Host names as PTR targets and name servers take them (RFC 1123 §2.1 on RFC 952, RFC 1035 §2.3.4):
 * - labels of 1..63 letters, digits and hyphens, neither starting nor ending with a hyphen; a
 *   leading digit is allowed (RFC 1123). No underscore: `_` names services (RFC 8552), not hosts;
 * - at least two labels: a PTR points at a fully qualified name, never at a single label that a
 *   resolver would complete with its own search list;
 * - a top-level label that is not all digits, so that `192.0.2.1` is never taken for a name
 *   (RFC 3696 §2);
 * - at most 253 characters without the trailing dot, which is optional (the name is always
 *   absolute) and not kept;
 * - compared and stored in lower case; an internationalised name is kept as its A-labels
 *   (`xn--…`, RFC 5891), which is what the DNS carries.
 * Pure, no Nest imports.
 */
import { domainToASCII } from 'node:url';

export type HostnameParse = { ok: true; name: string } | { ok: false; reason: string };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOSTNAME_LENGTH = 253;

export function parseHostname(text: string): HostnameParse {
  const withoutDot = text.endsWith('.') ? text.slice(0, -1) : text;
  if (withoutDot === '') return { ok: false, reason: 'a host name cannot be empty' };
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(withoutDot) ? withoutDot.toLowerCase() : domainToASCII(withoutDot);
  if (ascii === '') return { ok: false, reason: `"${text}" is not a valid internationalised domain name` };
  if (ascii.length > MAX_HOSTNAME_LENGTH) return { ok: false, reason: `a host name has at most ${MAX_HOSTNAME_LENGTH} characters (this one has ${ascii.length})` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: `"${text}" is a single label: give the fully qualified name, e.g. ${ascii || 'host'}.example.org` };
  for (const label of labels) {
    if (label === '') return { ok: false, reason: `"${text}" has an empty label (two dots in a row, or a leading dot)` };
    if (label.length > 63) return { ok: false, reason: `the label "${label.slice(0, 20)}…" is longer than 63 characters` };
    if (label.includes('_')) return { ok: false, reason: `the label "${label}" has an underscore, which host names never have` };
    if (!LABEL.test(label)) return { ok: false, reason: `the label "${label}" must be letters, digits and hyphens, neither starting nor ending with a hyphen` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return { ok: false, reason: `"${text}" ends in an all-numeric label: it reads as an address, not a host name` };
  return { ok: true, name: ascii };
}
