import { encodeEntry, LedgerEntry } from './ledger-entry';
import { commitPersonalValue } from './personal-commitment';

const at = new Date('2026-06-01T12:00:00Z');
const lookup: LedgerEntry = { actor: { id: null, role: 'technician' }, action: 'ip-history.looked-up', purpose: 'call from +32 470 12 34 56', refs: {} };

describe('purposes in ledger entries', () => {
  it('commits the typed purpose like any personal value and keeps only its category in clear', () => {
    const { leaf, personal } = encodeEntry(7, at, { ...lookup, purposeCategory: 'support', personal: { address: '192.0.2.5/32' } });
    const parsed = JSON.parse(leaf.toString('utf8'));
    expect(leaf.toString('utf8')).not.toContain('470 12 34 56');
    expect(parsed).not.toHaveProperty('purpose');
    expect(parsed.purposeCategory).toBe('support');
    const held = personal.find((value) => value.name === 'purpose');
    expect(held?.value).toBe('call from +32 470 12 34 56');
    expect(parsed.personal.purpose).toBe(commitPersonalValue(held!.salt, held!.value));
    expect(Object.keys(parsed.personal).sort()).toEqual(['address', 'purpose']);
  });

  it('files a purpose without a category under other, and an entry without a purpose under none', () => {
    expect(JSON.parse(encodeEntry(0, at, lookup).leaf.toString('utf8')).purposeCategory).toBe('other');
    const plain = JSON.parse(encodeEntry(0, at, { actor: { id: null, role: 'system' }, action: 'configuration.changed' }).leaf.toString('utf8'));
    expect(plain).not.toHaveProperty('purposeCategory');
    expect(plain.personal).toEqual({});
  });

  it('refuses a personal value named like the purpose, which would hide one of the two', () => {
    expect(() => encodeEntry(0, at, { ...lookup, personal: { purpose: 'something else' } })).toThrow(/purpose/);
  });
});
