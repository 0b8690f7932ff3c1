/**
 * The backup archive, byte by byte (docs/architecture.md, "Backups"). No Nest, database or file imports.
 *
 *   archive   = age ciphertext ‖ trailer
 *   trailer   = Ed25519 signature (64 bytes) ‖ "LNTSIG01"
 *   signature = over `lanterne-backup\n<SHA-256 of the age ciphertext, hex>\n<its length>\n` by the ledger key
 *   plaintext = "LANTERNE-BACKUP\n" ‖ section* ‖ u16 0
 *   section   = u16 name length ‖ name (UTF-8) ‖ chunk* ‖ u32 0
 *   chunk     = u32 length (1..CHUNK_LIMIT) ‖ bytes
 *
 * Sections come in SECTIONS order. Chunks let a section of unknown length (a running pg_dump) be
 * written as it comes; the signed message names its purpose, so a checkpoint signature (also by the
 * ledger key) can never pass for an archive's, nor the reverse.
 */
import { z } from 'zod';

export const PLAINTEXT_MAGIC = Buffer.from('LANTERNE-BACKUP\n', 'latin1');
export const TRAILER_MAGIC = Buffer.from('LNTSIG01', 'latin1');
export const SIGNATURE_SIZE = 64;
export const TRAILER_SIZE = SIGNATURE_SIZE + TRAILER_MAGIC.length;
/** Larger chunks are refused on reading: a corrupt length cannot make the reader wait for gigabytes. */
export const CHUNK_LIMIT = 16 * 1024 * 1024;
/** The sections, in the order they are written. All but the database are small JSON documents. */
export const SECTIONS = ['manifest.json', 'config.json', 'checkpoint.json', 'database'] as const;
export type SectionName = (typeof SECTIONS)[number];
/** The most a JSON section may hold. */
export const JSON_SECTION_LIMIT = 1024 * 1024;

export const DATABASE_FORMATS = ['pg_dump-custom', 'pglite-datadir-tar-gz'] as const;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

export const ManifestSchema = z.strictObject({
  format: z.literal('lanterne-backup'),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  lanterneVersion: z.string().min(1).max(64),
  mode: z.enum(['embedded', 'production']),
  database: z.strictObject({
    format: z.enum(DATABASE_FORMATS),
    /** The role that owned the dumped objects: production restores replay its grants and revocations. */
    role: z.string().min(1).max(63).optional(),
    /** `SHOW server_version` of the dumped server. */
    serverVersion: z.string().min(1).max(100),
  }),
  /** The checkpoint of checkpoint.json, repeated so that a reader can check the two agree. */
  checkpoint: z.strictObject({ treeSize: z.number().int().min(0), rootHash: Hex64 }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The ledger's signed tree head, as `GET /ledger/checkpoint` answers it. */
export const ArchivedCheckpointSchema = z.strictObject({
  treeSize: z.number().int().min(0),
  rootHash: Hex64,
  timestamp: z.string(),
  signature: z.string(),
  publicKey: z.string(),
});

export class ArchiveFormatError extends Error {
  constructor(reason: string) {
    super(`not a Lanterne backup archive, or a damaged one: ${reason}`);
    this.name = 'ArchiveFormatError';
  }
}

/** The bytes the ledger key signs for an archive whose age ciphertext has this digest and length. */
export function signedMessage(ciphertextSha256: Buffer, ciphertextLength: number): Buffer {
  if (ciphertextSha256.length !== 32) throw new RangeError('a SHA-256 digest is 32 bytes');
  return Buffer.from(`lanterne-backup\n${ciphertextSha256.toString('hex')}\n${ciphertextLength}\n`, 'utf8');
}

export function encodeTrailer(signature: Buffer): Buffer {
  if (signature.length !== SIGNATURE_SIZE) throw new RangeError(`an Ed25519 signature is ${SIGNATURE_SIZE} bytes`);
  return Buffer.concat([signature, TRAILER_MAGIC]);
}

/** The signature a trailer holds; the archive's length tells where the ciphertext ends. */
export function decodeTrailer(archiveLength: number, trailer: Buffer): { ciphertextLength: number; signature: Buffer } {
  if (archiveLength < TRAILER_SIZE || trailer.length !== TRAILER_SIZE || !trailer.subarray(SIGNATURE_SIZE).equals(TRAILER_MAGIC)) {
    throw new ArchiveFormatError('it does not end with a Lanterne signature');
  }
  return { ciphertextLength: archiveLength - TRAILER_SIZE, signature: Buffer.from(trailer.subarray(0, SIGNATURE_SIZE)) };
}

export type SectionBody = Uint8Array | AsyncIterable<Uint8Array>;

/** The plaintext of an archive of these sections, given in SECTIONS order, as it comes. */
export async function* encodePlaintext(sections: ReadonlyArray<readonly [SectionName, SectionBody]>): AsyncGenerator<Uint8Array> {
  if (sections.map(([name]) => name).join() !== SECTIONS.join()) throw new Error(`sections must be ${SECTIONS.join(', ')}, in that order`);
  yield PLAINTEXT_MAGIC;
  for (const [name, body] of sections) {
    const encoded = Buffer.from(name, 'utf8');
    yield Buffer.concat([u16(encoded.length), encoded]);
    for await (const bytes of body instanceof Uint8Array ? [body] : body) {
      for (let offset = 0; offset < bytes.length; offset += CHUNK_LIMIT) {
        const chunk = bytes.subarray(offset, offset + CHUNK_LIMIT);
        yield Buffer.concat([u32(chunk.length), chunk]);
      }
    }
    yield u32(0);
  }
  yield u16(0);
}

export type PlaintextEvent = { kind: 'section'; name: SectionName } | { kind: 'data'; bytes: Buffer } | { kind: 'end' };

/**
 * Reads a plaintext as it comes: each section's start, its bytes, and the end of the archive, which
 * must be the last bytes. Refuses unknown, missing or out-of-order sections and bytes after the end.
 */
export async function* decodePlaintext(source: AsyncIterable<Uint8Array>): AsyncGenerator<PlaintextEvent> {
  const reader = new ByteReader(source);
  if (!(await reader.take(PLAINTEXT_MAGIC.length)).equals(PLAINTEXT_MAGIC)) throw new ArchiveFormatError('its content does not start as one');
  for (const expected of [...SECTIONS, null]) {
    const nameLength = (await reader.take(2)).readUInt16BE(0);
    if (nameLength === 0) {
      if (expected !== null) throw new ArchiveFormatError(`section ${expected} is missing`);
      if (!(await reader.atEnd())) throw new ArchiveFormatError('bytes follow its end');
      yield { kind: 'end' };
      return;
    }
    const name = (await reader.take(nameLength)).toString('utf8');
    if (name !== expected) throw new ArchiveFormatError(expected ? `section ${expected} expected, found ${JSON.stringify(name.slice(0, 64))}` : `unexpected section ${JSON.stringify(name.slice(0, 64))}`);
    yield { kind: 'section', name };
    for (;;) {
      const length = (await reader.take(4)).readUInt32BE(0);
      if (length === 0) break;
      if (length > CHUNK_LIMIT) throw new ArchiveFormatError(`a chunk of section ${name} claims ${length} bytes`);
      yield { kind: 'data', bytes: await reader.take(length) };
    }
  }
}

/** A JSON section's content, parsed and checked against its schema. */
export function parseJsonSection<S extends z.ZodType>(name: SectionName, bytes: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArchiveFormatError(`${name} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ArchiveFormatError(`${name}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return parsed.data;
}

export const parseManifest = (bytes: Buffer) => parseJsonSection('manifest.json', bytes, ManifestSchema);

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** Exactly so many bytes at a time from a stream of arbitrary pieces. */
class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pieces: Buffer[] = [];
  private buffered = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async take(count: number): Promise<Buffer> {
    while (this.buffered < count) {
      const next = await this.iterator.next();
      if (next.done) throw new ArchiveFormatError('it ends too early');
      this.pieces.push(Buffer.from(next.value));
      this.buffered += next.value.length;
    }
    const all = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces);
    this.pieces = all.length > count ? [all.subarray(count)] : [];
    this.buffered = all.length - count;
    return all.subarray(0, count);
  }

  async atEnd(): Promise<boolean> {
    if (this.buffered > 0) return false;
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) return true;
      if (next.value.length > 0) return false;
    }
  }
}
