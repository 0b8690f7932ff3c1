import { parseHostname } from './hostname';

function reasonOf(text: string): string {
  const parsed = parseHostname(text);
  if (parsed.ok) throw new Error(`expected a refusal, got ${parsed.name}`);
  return parsed.reason;
}

describe('parseHostname', () => {
  it.each([
    ['host.example.org', 'host.example.org'],
    ['host.example.org.', 'host.example.org'],
    ['Mail.Example.ORG', 'mail.example.org'],
    ['3com.example.net', '3com.example.net'],
    ['a-b.c-d.example', 'a-b.c-d.example'],
    ['café.example.org', 'xn--caf-dma.example.org'],
    ['xn--caf-dma.example.org', 'xn--caf-dma.example.org'],
  ])('accepts %s as %s', (text, name) => {
    expect(parseHostname(text)).toEqual({ ok: true, name });
  });

  it('accepts 253 characters and refuses 254', () => {
    const label = 'a'.repeat(63);
    const longest = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    expect(parseHostname(longest).ok).toBe(true);
    expect(parseHostname(`${longest}.`).ok).toBe(true);
    expect(reasonOf(`${longest}c`)).toBe('a host name has at most 253 characters (this one has 254)');
  });

  it.each([
    ['', 'a host name cannot be empty'],
    ['.', 'a host name cannot be empty'],
    ['localhost', '"localhost" is a single label: give the fully qualified name, e.g. localhost.example.org'],
    ['host..example.org', '"host..example.org" has an empty label (two dots in a row, or a leading dot)'],
    ['.example.org', '".example.org" has an empty label (two dots in a row, or a leading dot)'],
    ['host.example.org..', '"host.example.org.." has an empty label (two dots in a row, or a leading dot)'],
    ['_dmarc.example.org', 'the label "_dmarc" has an underscore, which host names never have'],
    ['-host.example.org', 'the label "-host" must be letters, digits and hyphens, neither starting nor ending with a hyphen'],
    ['host-.example.org', 'the label "host-" must be letters, digits and hyphens, neither starting nor ending with a hyphen'],
    ['ho st.example.org', 'the label "ho st" must be letters, digits and hyphens, neither starting nor ending with a hyphen'],
    ['host.exa*mple.org', 'the label "exa*mple" must be letters, digits and hyphens, neither starting nor ending with a hyphen'],
    ['192.0.2.1', '"192.0.2.1" ends in an all-numeric label: it reads as an address, not a host name'],
    [`${'a'.repeat(64)}.example.org`, 'the label "aaaaaaaaaaaaaaaaaaaa…" is longer than 63 characters'],
  ])('refuses %j', (text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });
});
