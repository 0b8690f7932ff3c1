import { createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ConfigurationError, KeyMaterial, parseMasterKey, parseSigningKey } from './config';

/**
 * Keys come from the environment in production. In embedded mode a missing key is generated once
 * into the data dir (mode 0600) so that `npm start` works with nothing to prepare; the caller warns
 * that such keys sit next to the data they protect.
 */
export function resolveKeyMaterial(config: AppConfig): { keys: KeyMaterial; generated: string[] } {
  const generated: string[] = [];
  const masterKey =
    config.keys.masterKey ??
    keyFile(config.dataDir, 'master.key', () => randomBytes(32).toString('base64'), generated, (text, file) => parseMasterKey(text, file));
  const ed25519File = (name: string) =>
    keyFile(config.dataDir, name, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), generated, (text, file) => parseSigningKey(text, file));
  const signingKey = config.keys.signingKey ?? ed25519File('signing.key');
  // Production without followed logs needs no witness key: the witness then knows no origin.
  const witnessKey = config.keys.witnessKey ?? (config.mode === 'embedded' ? ed25519File('witness.key') : undefined);
  if (witnessKey && samePublicKey(witnessKey, signingKey)) {
    throw new ConfigurationError('LANTERNE_WITNESS_KEY', 'must not be the ledger signing key: a witness key only cosigns (c2sp.org/tlog-cosignature)');
  }
  return { keys: { masterKey, signingKey, witnessKey }, generated };
}

const samePublicKey = (a: KeyObject, b: KeyObject) =>
  createPublicKey(a).export({ format: 'der', type: 'spki' }).equals(createPublicKey(b).export({ format: 'der', type: 'spki' }));

function keyFile<T>(dataDir: string, name: string, create: () => string, generated: string[], parse: (text: string, file: string) => T): T {
  const path = join(dataDir, 'keys', name);
  if (!existsSync(path)) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    writeFileSync(path, create(), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    generated.push(path);
  }
  return parse(readFileSync(path, 'utf8').trim(), path);
}
