import { createHash } from 'node:crypto';
import {
  ArchiveFormatError,
  CHUNK_LIMIT,
  decodePlaintext,
  decodeTrailer,
  encodePlaintext,
  encodeTrailer,
  Manifest,
  parseManifest,
  PlaintextEvent,
  SectionBody,
  SectionName,
  signedMessage,
  TRAILER_SIZE,
} from './backup-archive';

const manifest: Manifest = {
  format: 'lanterne-backup',
  version: 1,
  createdAt: '2026-06-01T12:00:00.000Z',
  lanterneVersion: '0.1.0',
  mode: 'production',
  database: { format: 'pg_dump-custom', role: 'postgres', serverVersion: '15.20' },
  checkpoint: { treeSize: 3, rootHash: 'ab'.repeat(32) },
};

const sections = (database: SectionBody): Array<[SectionName, SectionBody]> => [
  ['manifest.json', Buffer.from(JSON.stringify(manifest))],
  ['config.json', Buffer.from('{}')],
  ['checkpoint.json', Buffer.from('{"treeSize":3}')],
  ['database', database],
];

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of source) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

/** Feeds `bytes` in pieces of `size`, as a stream would. */
async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function decode(bytes: Buffer, size = 7): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  let current = '';
  let ended = false;
  for await (const event of decodePlaintext(pieces(bytes, size)) as AsyncGenerator<PlaintextEvent>) {
    if (event.kind === 'section') found.set((current = event.name), Buffer.alloc(0));
    else if (event.kind === 'data') found.set(current, Buffer.concat([found.get(current) as Buffer, event.bytes]));
    else ended = true;
  }
  expect(ended).toBe(true);
  return found;
}

async function* streamed(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('archive plaintext', () => {
  it('reads back every section whatever the pieces it arrives in', async () => {
    const plaintext = await collect(encodePlaintext(sections(streamed('pg', '', '_dump bytes'))));
    for (const size of [1, 7, 4096]) {
      const found = await decode(plaintext, size);
      expect([...found.keys()]).toEqual(['manifest.json', 'config.json', 'checkpoint.json', 'database']);
      expect(found.get('database')?.toString()).toBe('pg_dump bytes');
      expect(parseManifest(found.get('manifest.json') as Buffer)).toEqual(manifest);
    }
  });

  it('splits a section larger than the chunk limit and reads it whole', async () => {
    const big = Buffer.alloc(CHUNK_LIMIT + 10, 7);
    const found = await decode(await collect(encodePlaintext(sections(big))), 1 << 20);
    expect(found.get('database')?.equals(big)).toBe(true);
  });

  it('an empty database section is still a section', async () => {
    const found = await decode(await collect(encodePlaintext(sections(Buffer.alloc(0)))));
    expect(found.get('database')).toEqual(Buffer.alloc(0));
  });

  it('refuses sections given out of order when writing', async () => {
    const [first, second, ...rest] = sections(Buffer.alloc(0));
    await expect(collect(encodePlaintext([second, first, ...rest]))).rejects.toThrow('in that order');
  });

  it('refuses bytes that are not an archive', async () => {
    await expect(decode(Buffer.from('PGDMP custom dump, not ours'))).rejects.toThrow(ArchiveFormatError);
  });

  it('refuses a truncated plaintext', async () => {
    const plaintext = await collect(encodePlaintext(sections(Buffer.from('bytes'))));
    await expect(decode(plaintext.subarray(0, plaintext.length - 1))).rejects.toThrow('ends too early');
  });

  it('refuses bytes after the end', async () => {
    const plaintext = await collect(encodePlaintext(sections(Buffer.from('bytes'))));
    await expect(decode(Buffer.concat([plaintext, Buffer.from('x')]))).rejects.toThrow('bytes follow its end');
  });

  it('refuses an unknown section where one is expected', async () => {
    const plaintext = await collect(encodePlaintext(sections(Buffer.from('bytes'))));
    const renamed = Buffer.from(plaintext.toString('latin1').replace('config.json', 'secret.json'), 'latin1');
    await expect(decode(renamed)).rejects.toThrow('section config.json expected, found "secret.json"');
  });

  it('refuses a chunk claiming more than the limit', async () => {
    const plaintext = await collect(encodePlaintext(sections(Buffer.from('bytes'))));
    // The manifest's first chunk length follows the magic and its name.
    const at = 16 + 2 + 'manifest.json'.length;
    plaintext.writeUInt32BE(CHUNK_LIMIT + 1, at);
    await expect(decode(plaintext)).rejects.toThrow('claims');
  });
});

describe('manifest', () => {
  const parse = (value: unknown) => parseManifest(Buffer.from(JSON.stringify(value)));

  it('names the field that is wrong', () => {
    expect(() => parse({ ...manifest, version: 2 })).toThrow('manifest.json: version');
    expect(() => parse({ ...manifest, checkpoint: { treeSize: -1, rootHash: 'ab'.repeat(32) } })).toThrow('checkpoint.treeSize');
    expect(() => parse({ ...manifest, database: { ...manifest.database, format: 'sql' } })).toThrow('database.format');
  });

  it('refuses fields it does not know and text that is not JSON', () => {
    expect(() => parse({ ...manifest, masterKey: 'x' })).toThrow(ArchiveFormatError);
    expect(() => parseManifest(Buffer.from('{'))).toThrow('manifest.json is not JSON');
  });
});

describe('signature trailer', () => {
  it('round-trips the signature and tells where the ciphertext ends', () => {
    const signature = Buffer.alloc(64, 9);
    const trailer = encodeTrailer(signature);
    expect(trailer).toHaveLength(TRAILER_SIZE);
    expect(decodeTrailer(1000, trailer)).toEqual({ ciphertextLength: 1000 - TRAILER_SIZE, signature });
  });

  it('refuses a file that does not end with one', () => {
    expect(() => decodeTrailer(1000, Buffer.alloc(TRAILER_SIZE))).toThrow('does not end with a Lanterne signature');
    expect(() => decodeTrailer(10, Buffer.alloc(10))).toThrow(ArchiveFormatError);
  });

  it('signs a message that names its purpose, never a bare digest or a checkpoint', () => {
    const digest = createHash('sha256').update('ciphertext').digest();
    const message = signedMessage(digest, 10).toString();
    expect(message).toBe(`lanterne-backup\n${digest.toString('hex')}\n10\n`);
    expect(message.startsWith('lanterne-checkpoint')).toBe(false);
  });
});
