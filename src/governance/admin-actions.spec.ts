import { canonicalJson } from '../ledger/canonical-json';
import { pseudonym, publicAdminAction } from './admin-actions';

const subject = '0b9f8a52-3c1e-4f6a-9d2b-7e5c4a3b2a10';
const leaf = (fields: object) =>
  canonicalJson({ index: 7, at: '2026-06-01T12:00:00.000Z', actor: { id: 'a1b2c3d4-0000-4000-8000-000000000001', role: 'admin' }, refs: {}, personal: {}, ...fields }).toString('utf8');

describe('the public view of an admin action', () => {
  it('shows-a-pseudonym-the-purpose-category-and-allowlisted-refs-and-never-ids-or-personal-values', () => {
    const text = leaf({
      action: 'account.roles-changed',
      subject,
      purposeCategory: 'support',
      refs: { accountId: 'a1b2c3d4-0000-4000-8000-000000000002', from: ['member'], to: ['member'] },
      personal: { purpose: 'ab'.repeat(32) },
    });
    const view = publicAdminAction(text, 'cd'.repeat(32), new Map([[subject, 'ee'.repeat(16)]]));
    expect(view).toEqual({
      index: 7,
      at: '2026-06-01T12:00:00.000Z',
      role: 'admin',
      action: 'account.roles-changed',
      subject: { pseudonym: 'ee'.repeat(16) },
      purposeCategory: 'support',
      refs: { from: ['member'], to: ['member'] },
      leafHash: 'cd'.repeat(32),
    });
    expect(JSON.stringify(view)).not.toMatch(/a1b2c3d4|0b9f8a52|abab/);
  });

  it('admits-refs-under-a-prefix-and-shows-none-for-an-action-off-the-allowlist', () => {
    const ran = publicAdminAction(leaf({ action: 'retention.ran', actor: { id: null, role: 'system' }, refs: { 'purged.identity': 2, 'keepDays.identity': 365, other: 'x' } }), 'cd'.repeat(32), new Map());
    expect(ran.refs).toEqual({ 'purged.identity': 2, 'keepDays.identity': 365 });
    expect(publicAdminAction(leaf({ action: 'identity.read', refs: { verificationId: 'x' } }), 'cd'.repeat(32), new Map()).refs).toEqual({});
  });

  it('withholds-the-subject-of-a-disclosure-and-shows-a-forgotten-pseudonym-as-null', () => {
    expect(publicAdminAction(leaf({ action: 'identity.disclosed', subject, actor: { id: null, role: 'ccj' } }), 'cd'.repeat(32), new Map([[subject, 'ee'.repeat(16)]])).subject).toBeUndefined();
    expect(publicAdminAction(leaf({ action: 'identity.read', subject }), 'cd'.repeat(32), new Map([[subject, null]])).subject).toEqual({ pseudonym: null });
  });
});

describe('pseudonyms', () => {
  it('differ-per-key-and-stay-the-same-under-one-key', () => {
    const key = Buffer.alloc(32, 1);
    expect(pseudonym(key, subject)).toBe(pseudonym(key, subject.toUpperCase()));
    expect(pseudonym(key, subject)).not.toBe(pseudonym(Buffer.alloc(32, 2), subject));
    expect(pseudonym(key, subject)).toMatch(/^[0-9a-f]{32}$/);
  });
});
