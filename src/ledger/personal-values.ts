/**
 * Personal values kept beside the ledger, sealed under the master key: a database dump shows neither
 * the value nor the salt that would let anyone test guesses against the commitment in the leaf.
 * The sealing context binds a value to its leaf and name.
 */
import { open, seal } from '../common/sealed-box';
import { COMMITMENT_SALT_SIZE } from './personal-commitment';

const context = (leafIndex: number, name: string) => `lanterne-ledger-personal\n${leafIndex}\n${name}`;

export function sealPersonalValue(key: Buffer, leafIndex: number, name: string, salt: Buffer, value: string): Buffer {
  return seal(key, Buffer.concat([salt, Buffer.from(value, 'utf8')]), context(leafIndex, name));
}

export function openPersonalValue(key: Buffer, leafIndex: number, name: string, sealed: Buffer): { salt: Buffer; value: string } {
  const plaintext = open(key, sealed, context(leafIndex, name));
  return { salt: plaintext.subarray(0, COMMITMENT_SALT_SIZE), value: plaintext.subarray(COMMITMENT_SALT_SIZE).toString('utf8') };
}
