import { generateKeyPairSync } from 'node:crypto';
import { cosign, formatCheckpointText, formatNote, SIGNATURE_TYPE, signNote, verifierKeyOf } from '../common/signed-note';
import { checkCheckpointNote } from './c2sp-checkpoint';
import { inclusionProof, leafHash, merkleRoot } from './merkle';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './tlog-proof';

const ORIGIN = 'lanterne.example/ledger';
const logPrivate = generateKeyPairSync('ed25519').privateKey;
const witnessPrivate = generateKeyPairSync('ed25519').privateKey;
const logKey = verifierKeyOf(ORIGIN, SIGNATURE_TYPE.ed25519, logPrivate);
const witnessKey = verifierKeyOf('witness.example/w1', SIGNATURE_TYPE.cosignatureV1, witnessPrivate);
const leaves = Array.from({ length: 7 }, (_, i) => leafHash(Buffer.from(`{"index":${i}}`)));

function checkpoint(rootHash = merkleRoot(leaves), cosigned = true): string {
  const text = formatCheckpointText({ origin: ORIGIN, treeSize: leaves.length, rootHash });
  return formatNote(text, [signNote(text, ORIGIN, logPrivate), ...(cosigned ? [cosign(text, witnessKey.name, witnessPrivate, 1767225600)] : [])]);
}

const proofOf = (index: number, note = checkpoint()) => formatTlogProof({ extra: leaves[index], index, path: inclusionProof(leaves, index), checkpoint: note });
const policy = { witnesses: [witnessKey], quorum: 1 };

describe('tlog proofs', () => {
  it('a-produced-proof-parses-back-and-verifies-with-the-log-key-and-the-witness-policy', () => {
    const text = proofOf(5);
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    const parsed = parseTlogProof(text);
    expect(parsed).toMatchObject({ index: 5, extra: leaves[5], path: inclusionProof(leaves, 5) });
    expect(verifyTlogProof(text, leaves[5], logKey, policy)).toEqual({ ok: true, index: 5, treeSize: 7, cosigners: ['witness.example/w1'] });
  });

  it('another-leaf-another-index-or-a-missing-quorum-fails', () => {
    expect(verifyTlogProof(proofOf(5), leaves[4], logKey, policy).ok).toBe(false);
    expect(verifyTlogProof(proofOf(5).replace('index 5', 'index 4'), leaves[5], logKey, policy).ok).toBe(false);
    expect(verifyTlogProof(proofOf(5, checkpoint(undefined, false)), leaves[5], logKey, policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/0 of the 1/) });
    expect(verifyTlogProof(proofOf(5), leaves[5], verifierKeyOf(ORIGIN, SIGNATURE_TYPE.ed25519, witnessPrivate), policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/not signed by the log key/) });
  });

  it('a-witness-line-over-another-root-is-reported-as-a-split-view', () => {
    const real = checkpoint();
    const forkedText = formatCheckpointText({ origin: ORIGIN, treeSize: 7, rootHash: Buffer.alloc(32, 3) });
    const witnessLine = real.split('\n').filter((line) => line.startsWith('\u2014 witness.example/w1 ')).join('\n');
    const forked = `${formatNote(forkedText, [signNote(forkedText, ORIGIN, logPrivate)])}${witnessLine}\n`;
    expect(checkCheckpointNote(forked, logKey, policy)).toMatchObject({ ok: false, splitView: true });
  });

  it.each([
    ['another header', (t: string) => t.replace('tlog-proof@v1', 'tlog-proof@v2')],
    ['no index', (t: string) => t.replace(/^index \d+\n/m, '')],
    ['a path line that is no hash', (t: string) => t.replace(/^index (\d+)\n/m, 'index $1\nAAAA\n')],
    ['no blank line', (t: string) => t.split('\n\n')[0]],
  ])('a-proof-with-%s-is-malformed', (_, change) => {
    expect(verifyTlogProof(change(proofOf(2)), leaves[2], logKey, policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
  });
});
