import { blankAsAbsent, utcFromLocalField } from './board.schemas';
import type { ProposalView } from '../consensus/consensus.schemas';
import { instant, proposalShown, requestActions } from './board-view';

const t = (key: string) => key;
const base = { status: 'received', decision: null, kind: 'identification', disclosedAt: null, decisionProposal: null } as const;
const proposal = (status: 'open' | 'adopted' | 'rejected') => ({ id: 'p', decision: 'comply', rationale: 'r', status, tally: null, openedAt: '2026-06-01T00:00:00.000Z', closedAt: null }) as const;

describe('what a request page offers', () => {
  it('a-received-request-without-an-open-proposal-offers-to-propose-a-decision', () => {
    expect(requestActions(base)).toEqual({ propose: true, takePosition: false, closeProposal: false, disclose: false, markAnswered: false, close: false });
    expect(requestActions({ ...base, decisionProposal: proposal('rejected') }).propose).toBe(true);
  });

  it('an-open-proposal-offers-positions-and-closing-and-nothing-else', () => {
    expect(requestActions({ ...base, status: 'under-review', decisionProposal: proposal('open') })).toEqual({
      propose: false,
      takePosition: true,
      closeProposal: true,
      disclose: false,
      markAnswered: false,
      close: false,
    });
  });

  it('a-comply-decision-offers-the-disclosure-until-it-is-made-then-closing', () => {
    const decided = { ...base, status: 'decided', decision: 'comply', decisionProposal: proposal('adopted') } as const;
    expect(requestActions(decided)).toMatchObject({ disclose: true, markAnswered: false, close: false });
    expect(requestActions({ ...decided, status: 'answered', disclosedAt: '2026-06-02T00:00:00.000Z' })).toMatchObject({ disclose: false, close: true });
  });

  it('a-contest-or-refusal-is-marked-answered-then-closed', () => {
    for (const decision of ['contest', 'refuse'] as const) {
      expect(requestActions({ ...base, status: 'decided', decision })).toMatchObject({ disclose: false, markAnswered: true, close: false });
      expect(requestActions({ ...base, status: 'answered', decision })).toMatchObject({ markAnswered: false, close: true });
    }
    expect(requestActions({ ...base, status: 'closed', decision: 'contest' })).toMatchObject({ markAnswered: false, close: false });
  });
});

describe('what a proposal shows', () => {
  const view: ProposalView = {
    id: 'p',
    title: 'x',
    body: 'y',
    circle: 'ccj',
    quorum: 2,
    blind: true,
    closesAt: null,
    status: 'open',
    openedAt: '2026-06-01T00:00:00.000Z',
    closedAt: null,
    tally: null,
    positionsHidden: false,
    positions: [{ accountId: 'a', name: 'Alice', position: 'stand-aside', reason: null, takenAt: '2026-06-01T01:00:00.000Z', history: [] }],
    undecided: [{ accountId: 'b', name: 'Bob' }],
  };

  it('the-viewers-own-position-is-marked-and-the-undecided-are-named', () => {
    const shown = proposalShown(view, 'a', t);
    expect(shown.mine).toBe('stand-aside');
    expect(shown.positions[0]).toMatchObject({ name: 'Alice', mine: true, positionText: 'board.positions.stand-aside' });
    expect(shown.undecided).toEqual(['Bob']);
    expect(proposalShown({ ...view, undecided: [] }, 'b', t).mine).toBeNull();
  });
});

describe('form fields', () => {
  it('a-local-date-and-time-is-read-as-utc-and-anything-else-is-left-to-the-schema', () => {
    expect(utcFromLocalField('2026-06-08T10:00')).toBe('2026-06-08T10:00:00Z');
    expect(utcFromLocalField('2026-06-08T10:00:30')).toBe('2026-06-08T10:00:30Z');
    expect(utcFromLocalField('2026-06-08T10:00:00+02:00')).toBe('2026-06-08T10:00:00+02:00');
    expect(utcFromLocalField(' ')).toBeUndefined();
    expect(utcFromLocalField(undefined)).toBeUndefined();
  });

  it('a-blank-reason-is-no-reason', () => {
    expect(blankAsAbsent(' \n')).toBeUndefined();
    expect(blankAsAbsent('because')).toBe('because');
  });

  it('an-instant-is-shown-in-utc-to-the-minute', () => {
    expect(instant('2026-02-01T21:04:05+01:00')).toEqual({ iso: '2026-02-01T20:04:05.000Z', text: '2026-02-01 20:04 UTC' });
    expect(instant(null)).toBeNull();
  });
});
