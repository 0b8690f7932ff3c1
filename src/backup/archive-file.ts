import { createHash, KeyObject, sign, verify } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { loadAge } from './age';
import { ArchiveFormatError, decodeTrailer, encodeTrailer, signedMessage, TRAILER_SIZE } from './backup-archive';
import { BackupError, BackupErrorCode } from './backup.errors';

/**
 * Archive files on disk: the plaintext encrypted with age as it comes, hashed on its way to the file,
 * then signed. Written beside the destination (mode 0600) and renamed into place, so an interrupted
 * backup never leaves a file that looks whole.
 */
export async function writeArchiveFile(
  out: string,
  plaintext: AsyncIterable<Uint8Array>,
  recipients: readonly string[],
  signingKey: KeyObject,
  onProgress: (bytes: number) => void = () => undefined,
): Promise<{ bytes: number }> {
  if (recipients.length === 0) throw new BackupError(BackupErrorCode.MissingKey, 'no LANTERNE_BACKUP_RECIPIENTS: an archive is encrypted to the age recipients of the association');
  const age = await loadAge();
  const encrypter = new age.Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const ciphertext = await encrypter.encrypt(ReadableStream.from(plaintext) as never);
  const partial = `${out}.partial`;
  const digest = createHash('sha256');
  let length = 0;
  try {
    await pipeline(
      Readable.fromWeb(ciphertext as never),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          digest.update(chunk);
          length += chunk.length;
          onProgress(length);
          done(null, chunk);
        },
      }),
      createWriteStream(partial, { mode: 0o600, flags: 'wx' }),
    );
    const signature = sign(null, signedMessage(digest.digest(), length), signingKey);
    const file = await open(partial, 'a');
    try {
      await file.write(encodeTrailer(signature));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { bytes: length + TRAILER_SIZE };
}

/**
 * Copies the archive at `file` to `copy` (in a directory only this process writes) while hashing it,
 * and checks its signature against the ledger's public key. What is decrypted afterwards is that copy:
 * the very bytes whose signature was checked, whatever happens to `file` meanwhile.
 */
export async function copyVerifiedArchive(file: string, copy: string, publicKey: KeyObject): Promise<{ ciphertextLength: number }> {
  const { size } = await stat(file);
  if (size < TRAILER_SIZE) throw notAuthentic(new ArchiveFormatError('it is too short'));
  const digest = createHash('sha256');
  let seen = 0;
  let trailer = Buffer.alloc(0);
  await pipeline(
    createReadStream(file),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // The last TRAILER_SIZE bytes are the signature, not part of what it signs.
        const hashable = Math.max(0, Math.min(chunk.length, size - TRAILER_SIZE - seen));
        digest.update(chunk.subarray(0, hashable));
        trailer = Buffer.concat([trailer, chunk.subarray(hashable)]);
        seen += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(copy, { mode: 0o600, flags: 'wx' }),
  );
  let decoded: ReturnType<typeof decodeTrailer>;
  try {
    decoded = decodeTrailer(seen, trailer);
  } catch (error) {
    throw notAuthentic(error as Error);
  }
  if (!verify(null, signedMessage(digest.digest(), decoded.ciphertextLength), publicKey, decoded.signature)) {
    throw new BackupError(
      BackupErrorCode.NotAuthentic,
      "the archive's signature does not verify against the ledger's public key: it was altered, or signed by another key. Nothing was decrypted nor restored",
    );
  }
  return { ciphertextLength: decoded.ciphertextLength };
}

/** The plaintext of a verified copy, decrypted as it is read. */
export async function decryptArchive(copy: string, ciphertextLength: number, identities: readonly string[], onProgress: (bytes: number) => void = () => undefined): Promise<AsyncIterable<Uint8Array>> {
  if (identities.length === 0) {
    throw new BackupError(BackupErrorCode.MissingKey, 'no age identity to decrypt with: set LANTERNE_BACKUP_IDENTITY (or _FILE), or give --identity-file');
  }
  const age = await loadAge();
  const decrypter = new age.Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  let read = 0;
  const ciphertext = createReadStream(copy, { start: 0, end: ciphertextLength - 1 }).on('data', (chunk) => onProgress((read += chunk.length)));
  try {
    const plaintext = await decrypter.decrypt(Readable.toWeb(ciphertext) as never);
    return Readable.fromWeb(plaintext as never);
  } catch (error) {
    ciphertext.destroy();
    const message = (error as Error).message;
    if (/no identity matched/i.test(message)) {
      throw new BackupError(BackupErrorCode.WrongIdentity, 'none of the age identities given is a recipient of this archive: use an identity of the association (LANTERNE_BACKUP_IDENTITY or --identity-file)');
    }
    throw new BackupError(BackupErrorCode.NotAuthentic, `the archive cannot be decrypted: ${message}`);
  }
}

function notAuthentic(error: Error): BackupError {
  return new BackupError(BackupErrorCode.NotAuthentic, `${error.message}. Nothing was decrypted nor restored`);
}
