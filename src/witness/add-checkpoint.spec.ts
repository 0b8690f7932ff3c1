import { NoteFormatError } from '../common/signed-note';
import { MAX_PROOF_LINES, parseAddCheckpoint } from './add-checkpoint';

// c2sp.org/tlog-witness, add-checkpoint: the example request body.
const SPEC_REQUEST = `old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
`;

describe('add-checkpoint request bodies', () => {
  it('the-spec-example-request-parses', () => {
    const request = parseAddCheckpoint(SPEC_REQUEST);
    expect(request.oldSize).toBe(20852014);
    expect(request.proof.map((hash) => hash.toString('base64'))).toEqual(SPEC_REQUEST.split('\n').slice(1, 5));
    expect(request.checkpoint).toMatchObject({ origin: 'example.com/behind-the-sofa', treeSize: 20852163 });
    expect(request.note.signatures).toHaveLength(2);
  });

  it('a-request-from-zero-has-no-proof-lines', () => {
    const request = parseAddCheckpoint(`old 0\n\n${SPEC_REQUEST.split('\n\n').slice(1).join('\n\n')}`);
    expect(request).toMatchObject({ oldSize: 0, proof: [] });
  });

  it.each([
    ['no old line', SPEC_REQUEST.replace('old 20852014\n', '')],
    ['a leading zero in the old size', SPEC_REQUEST.replace('old 20852014', 'old 020852014')],
    ['a negative old size', SPEC_REQUEST.replace('old 20852014', 'old -1')],
    ['a proof line that is no hash', SPEC_REQUEST.replace('PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=', 'PlRNCrwH')],
    ['no blank line before the checkpoint', 'old 0\n'],
    ['a checkpoint without signatures', 'old 0\n\nexample.com/x\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['carriage returns', SPEC_REQUEST.replaceAll('\n', '\r\n')],
    ['too many proof lines', `old 1\n${'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n'.repeat(MAX_PROOF_LINES + 1)}${SPEC_REQUEST.slice(SPEC_REQUEST.indexOf('\n\n') + 1)}`],
  ])('a-body-with-%s-is-malformed', (_, body) => {
    expect(() => parseAddCheckpoint(body)).toThrow(NoteFormatError);
  });
});
