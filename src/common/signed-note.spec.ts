import { generateKeyPairSync } from 'node:crypto';
import {
  cosign,
  formatCheckpointText,
  formatNote,
  formatSignatureLine,
  formatVerifierKey,
  keyId,
  NoteFormatError,
  parseCheckpointText,
  parseNote,
  parseSignatureLine,
  parseVerifierKey,
  SIGNATURE_TYPE,
  signNote,
  verifierKeyOf,
  verifyNote,
} from './signed-note';

// c2sp.org/signed-note §Verifier keys, Example.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
// c2sp.org/tlog-checkpoint and tlog-cosignature: the example checkpoint and its witness line (time 1679315147).
const SPEC_CHECKPOINT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_COSIGNATURE = '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';

describe('verifier keys and key ids', () => {
  it('the-spec-example-vkey-parses-and-its-key-id-is-the-recommended-hash', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(key).toMatchObject({ name: 'example.com/foo', type: SIGNATURE_TYPE.ed25519 });
    expect(key.keyId.toString('hex')).toBe('530d903a');
    expect(keyId(key.name, key.type, key.publicKey).toString('hex')).toBe('530d903a');
    expect(formatVerifierKey(key)).toBe(SPEC_VKEY);
  });

  it('a-vkey-whose-key-id-does-not-match-or-of-another-shape-is-refused', () => {
    expect(() => parseVerifierKey(SPEC_VKEY.replace('530d903a', '530d903b'))).toThrow(/key id does not match/);
    expect(() => parseVerifierKey('example.com/foo+530d903a')).toThrow(NoteFormatError);
    expect(() => parseVerifierKey('example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k')).toThrow(/hex/);
    expect(() => parseVerifierKey('example.com/foo+530d903a+AekyeRrm')).toThrow(/32 bytes/);
    expect(() => parseVerifierKey(SPEC_VKEY, SIGNATURE_TYPE.cosignatureV1)).toThrow(/signature type/);
  });

  it('the-same-key-has-different-ids-as-a-log-key-and-as-a-cosigner-key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const log = verifierKeyOf('example.org/x', SIGNATURE_TYPE.ed25519, privateKey);
    const witness = verifierKeyOf('example.org/x', SIGNATURE_TYPE.cosignatureV1, privateKey);
    expect(log.keyId.equals(witness.keyId)).toBe(false);
    expect(parseVerifierKey(formatVerifierKey(witness))).toEqual(witness);
  });

  it('a-key-whose-base64-holds-a-plus-round-trips', () => {
    const publicKey = Buffer.alloc(32, 0xfb);
    const key = { name: 'example.org/plus', type: SIGNATURE_TYPE.cosignatureV1, publicKey };
    expect(formatVerifierKey(key).split('+').length).toBeGreaterThan(3);
    expect(parseVerifierKey(formatVerifierKey(key)).publicKey).toEqual(publicKey);
  });
});

describe('notes', () => {
  it('the-spec-example-note-verifies-against-its-vkey', () => {
    const note = parseNote(SPEC_NOTE);
    expect(note.text).toBe('This is an example message.\n');
    const key = parseVerifierKey(SPEC_VKEY);
    expect(verifyNote(note, [key])).toMatchObject({ verified: [key], failed: [] });
    expect(formatNote(note.text, note.signatures)).toBe(SPEC_NOTE);
  });

  it('a-changed-text-fails-for-the-known-key-and-unknown-keys-are-ignored', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    const changed = parseNote(SPEC_NOTE.replace('example message', 'exemplary message'));
    expect(verifyNote(changed, [key])).toMatchObject({ verified: [], failed: [key] });
    const { privateKey } = generateKeyPairSync('ed25519');
    const other = verifierKeyOf('example.com/foo', SIGNATURE_TYPE.ed25519, privateKey);
    expect(verifyNote(parseNote(SPEC_NOTE), [other])).toMatchObject({ verified: [], failed: [] });
  });

  it('signing-then-verifying-round-trips-and-the-text-is-split-at-the-last-blank-line', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const text = 'first\n\nsecond paragraph\n';
    const signature = signNote(text, 'lanterne.example/ledger', privateKey);
    const note = parseNote(formatNote(text, [signature]));
    expect(note.text).toBe(text);
    expect(verifyNote(note, [verifierKeyOf('lanterne.example/ledger', SIGNATURE_TYPE.ed25519, privateKey)]).verified).toHaveLength(1);
  });

  it.each([
    ['no final newline', 'text\n\n— a/b AAAAAAA='],
    ['no blank line', 'text\n— a/b AAAAAAA=\n'],
    ['a control character', 'te\txt\n\n— a/b AAAAAAA=\n'],
    ['a signature line without the em dash', 'text\n\n- a/b AAAAAAA=\n'],
    ['a signature that is not base64', 'text\n\n— a/b not*base64\n'],
    ['a signature shorter than a key id', 'text\n\n— a/b AAAA\n'],
    ['a lone surrogate', 'text\ud800\n\n— a/b AAAAAAA=\n'],
  ])('a-note-with-%s-is-refused', (_, note) => {
    expect(() => parseNote(note)).toThrow(NoteFormatError);
  });
});

describe('checkpoints and cosignatures', () => {
  it('the-spec-example-checkpoint-parses-and-formats-back', () => {
    const body = parseCheckpointText(SPEC_CHECKPOINT);
    expect(body).toMatchObject({ origin: 'example.com/behind-the-sofa', treeSize: 20852163 });
    expect(formatCheckpointText(body)).toBe(SPEC_CHECKPOINT);
  });

  it('the-spec-example-cosignature-line-carries-its-key-id-and-the-timestamp-the-spec-shows', () => {
    const line = parseSignatureLine(SPEC_COSIGNATURE);
    expect(line.name).toBe('witness.example.com/w1');
    expect(line.keyId.toString('hex')).toBe('8d66cf3f');
    expect(line.signature).toHaveLength(72);
    expect(Number(line.signature.readBigUInt64BE(0))).toBe(1679315147);
    expect(formatSignatureLine(line)).toBe(`${SPEC_COSIGNATURE}\n`);
  });

  it('a-cosignature-verifies-over-the-checkpoint-with-its-timestamp-and-not-over-another-root', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const witness = verifierKeyOf('witness.example/w1', SIGNATURE_TYPE.cosignatureV1, privateKey);
    const line = cosign(SPEC_CHECKPOINT, witness.name, privateKey, 1679315147);
    const verdict = verifyNote({ text: SPEC_CHECKPOINT, signatures: [line] }, [witness]);
    expect(verdict.verified).toEqual([witness]);
    expect(verdict.timestamps.get(witness.name)).toBe(1679315147);
    const forked = formatCheckpointText({ ...parseCheckpointText(SPEC_CHECKPOINT), rootHash: Buffer.alloc(32, 7) });
    expect(verifyNote({ text: forked, signatures: [line] }, [witness]).failed).toEqual([witness]);
  });

  it('extension-lines-are-read-as-such', () => {
    expect(parseCheckpointText(`${SPEC_CHECKPOINT}extension\n`).extensions).toEqual(['extension']);
  });

  it.each([
    ['a leading zero', SPEC_CHECKPOINT.replace('20852163', '020852163')],
    ['a short root', SPEC_CHECKPOINT.replace('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'AAAA')],
    ['no origin', SPEC_CHECKPOINT.replace('example.com/behind-the-sofa', '')],
    ['two lines only', 'example.com/behind-the-sofa\n20852163\n'],
  ])('a-checkpoint-with-%s-is-refused', (_, text) => {
    expect(() => parseCheckpointText(text)).toThrow(NoteFormatError);
  });
});
