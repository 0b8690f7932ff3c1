import type { PGlite } from '@electric-sql/pglite';
import { withProtocolSequences } from './protocol-sequences';

const message = (type: string) => new Uint8Array([type.charCodeAt(0), 0, 0, 0, 4]);
const stream = { onRawData: () => undefined };

function fakeDb(inTransaction = false) {
  const ran: string[] = [];
  const db = {
    name: 'fake',
    isInTransaction: () => inTransaction,
    execProtocolRawStream: async (m: Uint8Array) => {
      ran.push(String.fromCharCode(m[0]));
      return 0;
    },
    exec: async (sql: string) => {
      ran.push(sql);
      return [];
    },
  };
  return { db: withProtocolSequences(db as unknown as PGlite), ran };
}

describe('withProtocolSequences', () => {
  it('holds the session from the first message of an extended query to its Sync', async () => {
    const { db, ran } = fakeDb();
    expect(db.isInTransaction()).toBe(false);
    for (const type of ['P', 'B', 'D', 'E']) {
      await db.execProtocolRawStream(message(type), stream);
      expect(db.isInTransaction()).toBe(true);
    }
    await db.execProtocolRawStream(message('S'), stream);
    expect(db.isInTransaction()).toBe(false);
    await db.execProtocolRawStream(message('Q'), stream);
    expect(db.isInTransaction()).toBe(false);
    expect(ran).toEqual(['P', 'B', 'D', 'E', 'S', 'Q']);
  });

  it('still reports a real transaction, and lets a rollback end a sequence a connection left open', async () => {
    expect(fakeDb(true).db.isInTransaction()).toBe(true);
    const { db, ran } = fakeDb();
    await db.execProtocolRawStream(message('P'), stream);
    await db.exec('ROLLBACK');
    expect(db.isInTransaction()).toBe(false);
    expect(ran).toEqual(['P', 'ROLLBACK']);
  });

  it('passes everything else through', () => {
    expect((fakeDb().db as unknown as { name: string }).name).toBe('fake');
  });
});
