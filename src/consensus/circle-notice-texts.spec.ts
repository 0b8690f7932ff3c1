import { CIRCLE_NOTICE_KINDS, renderNotice } from './circle-notice-texts';

describe('circle notices', () => {
  it('fills every placeholder of every notice in both languages', () => {
    const params = { proposalId: 'p-1', requestId: 'r-1', circle: 'ccj', status: 'adopted', closesAt: '2026-06-03T10:00:00.000Z', dueAt: '2026-06-04T00:00:00.000Z', renewBy: '2026-07-01T00:00:00.000Z' };
    for (const kind of CIRCLE_NOTICE_KINDS) {
      for (const language of ['fr', 'en'] as const) {
        const { subject, body } = renderNotice(kind, params, language);
        expect(`${subject}\n${body}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('says when a proposal closes, or that a member closes it', () => {
    expect(renderNotice('proposal-opened', { proposalId: 'p', circle: 'board', closesAt: '2026-06-03T10:00:00.000Z' }, 'en').body).toContain('It closes on 2026-06-03 at 10:00 UTC.');
    expect(renderNotice('proposal-opened', { proposalId: 'p', circle: 'board' }, 'fr').body).toContain('un membre du cercle la clôt');
  });

  it('translates the outcome', () => {
    expect(renderNotice('proposal-closed', { proposalId: 'p', circle: 'ccj', status: 'rejected' }, 'fr').subject).toBe('Proposition rejetée dans le cercle ccj');
  });
});
