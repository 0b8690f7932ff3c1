import { execFileSync } from 'node:child_process';
import { storedLeaves } from '../support/ledger';
import { countRows, expectBadInput, expectForbidden, outsiderTokens } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';
const TABLES = ['legal_requests', 'legal_request_selectors', 'legal_request_documents', 'ledger_leaves'];

let app: TestApp;
let ccj: string;
let technician: string;
let member: string;

beforeAll(async () => {
  app = await createTestApp();
  technician = await app.tokenFor('technician');
  ({ ccj, member } = await outsiderTokens(app, technician));
});
afterAll(() => app.close());

const request = (overrides: Record<string, unknown> = {}) => ({
  authority: "Parquet du procureur du Roi de Bruxelles",
  reference: 'BR.12.AB.2026/42',
  legalBasis: "Code d'instruction criminelle, art. 46bis",
  kind: 'identification',
  receivedAt: '2026-11-30T09:15:00+01:00',
  dueAt: '2026-12-07T17:00:00+01:00',
  selectors: [
    { address: '192.0.2.10', at: '2026-11-20T21:04:05+01:00' },
    { address: '2001:db8::1', at: '2026-11-20T20:04:05Z' },
  ],
  ...overrides,
});

async function receive(body: object = request()): Promise<string> {
  const r = await app.http.post(`${V}/legal-requests`).set(bearer(ccj)).send(body);
  expect(r.status).toBe(201);
  return r.body.id;
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nthe reasoned order of the investigating judge\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), Buffer.from('scanned order page')]);
const attach = (id: string, filename: string, content: Buffer, token = ccj) =>
  app.http.post(`${V}/legal-requests/${id}/documents`).set(bearer(token)).send({ filename, contentBase64: content.toString('base64') });

describe('intake', () => {
  it('records a request and shows it back, every instant in UTC, with room for its proposal and disclosures', async () => {
    const r = await app.http.post(`${V}/legal-requests`).set(bearer(ccj)).send(request());
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), status: 'received' });

    const shown = await app.http.get(`${V}/legal-requests/${r.body.id}`).set(bearer(ccj));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: r.body.id,
      status: 'received',
      authority: 'Parquet du procureur du Roi de Bruxelles',
      reference: 'BR.12.AB.2026/42',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: '2026-11-30T08:15:00.000Z',
      dueAt: '2026-12-07T16:00:00.000Z',
      gagUntil: null,
      selectors: [
        { address: '192.0.2.10', at: '2026-11-20T20:04:05.000Z' },
        { address: '2001:db8::1', at: '2026-11-20T20:04:05.000Z' },
      ],
      documents: [],
      decisionProposal: null,
      disclosures: [],
    });

    const list = await app.http.get(`${V}/legal-requests`).query({ limit: '1' }).set(bearer(ccj));
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ items: [{ id: r.body.id, kind: 'identification' }], limit: 1, offset: 0 });
  });

  it('is recorded in the ledger with ids and kind only, in the same transaction', async () => {
    const id = await receive(request({ kind: 'traffic-data' }));
    const entries = (await storedLeaves(app)).filter((e) => e.action === 'legal-request.received' && e.refs.requestId === id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { role: 'ccj' }, refs: { requestId: id, kind: 'traffic-data' } });
    expect(JSON.stringify(entries[0])).not.toContain('192.0.2.10');
    expect(JSON.stringify(entries[0])).not.toContain('BR.12');
  });

  it('a bare local time is a 400 naming the field, and nothing is written', async () => {
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests`, request({ selectors: [{ address: '192.0.2.10', at: '2026-11-20T21:04:05' }] }), 'selectors.0.at');
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests`, request({ receivedAt: '2026-11-30 09:15' }), 'receivedAt');
  });

  it.each([
    ['authority', { authority: '' }],
    ['reference', { reference: '   ' }],
    ['legalBasis', { legalBasis: 'x'.repeat(2001) }],
    ['kind', { kind: 'wiretap' }],
    ['receivedAt', { receivedAt: 'yesterday' }],
    ['dueAt', { dueAt: '2026-12-07' }],
    ['gagUntil', { gagUntil: 12 }],
    ['selectors', { selectors: [] }],
    ['selectors.0.address', { selectors: [{ address: '192.0.2.300', at: '2026-11-20T20:04:05Z' }] }],
    ['selectors.0.address', { selectors: [{ address: '192.0.2.0/24', at: '2026-11-20T20:04:05Z' }] }],
    ['selectors.0', { selectors: [{ address: '192.0.2.1', at: '2026-11-20T20:04:05Z', port: 443 }] }],
    ['', { status: 'decided' }],
  ])('%s invalid is a 400 and writes nothing', async (field, overrides) => {
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests`, request(overrides), field);
  });

  it('technicians, admins and members are refused every route', async () => {
    const id = await receive();
    for (const token of [technician, app.adminToken, member]) {
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests`, request());
      await expectForbidden(app, token, TABLES, 'get', `${V}/legal-requests`, undefined);
      await expectForbidden(app, token, TABLES, 'get', `${V}/legal-requests/${id}`, undefined);
      await expectForbidden(app, token, TABLES, 'get', `${V}/legal-requests/legal-bases`, undefined);
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests/${id}/documents`, { filename: 'o.pdf', contentBase64: PDF.toString('base64') });
    }
  });

  it('an unknown request is a 404', async () => {
    expect((await app.http.get(`${V}/legal-requests/00000000-0000-4000-8000-000000000000`).set(bearer(ccj))).status).toBe(404);
  });

  it('lists the known legal bases of the jurisdiction with their sources', async () => {
    const r = await app.http.get(`${V}/legal-requests/legal-bases`).set(bearer(ccj));
    expect(r.status).toBe(200);
    expect(r.body.jurisdiction).toBe('be');
    expect(r.body.items.map((b: { code: string }) => b.code)).toEqual(['be-cic-46bis', 'be-cic-88bis']);
    expect(r.body.items[1]).toMatchObject({ kinds: ['traffic-data'], source: { citation: expect.stringContaining('88bis') } });
  });
});

describe("the authority's documents", () => {
  it('accepts a PDF and a PNG, typed from their bytes, and gives them back byte-identical', async () => {
    const id = await receive();
    const pdf = await attach(id, 'ordonnance.pdf', PDF);
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ filename: 'ordonnance.pdf', contentType: 'application/pdf', size: PDF.length });
    app.clock.advance(1000);
    // A PNG named .pdf is a PNG: the name is not trusted either.
    const png = await attach(id, 'scan.pdf', PNG);
    expect(png.status).toBe(201);
    expect(png.body.contentType).toBe('image/png');

    for (const [document, bytes, type] of [[pdf.body.id, PDF, 'application/pdf'], [png.body.id, PNG, 'image/png']] as const) {
      const r = await app.http.get(`${V}/legal-requests/${id}/documents/${document}`).set(bearer(ccj)).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(Buffer.compare(r.body as Buffer, bytes)).toBe(0);
    }

    const shown = await app.http.get(`${V}/legal-requests/${id}`).set(bearer(ccj));
    expect(shown.body.documents.map((d: { filename: string; contentType: string }) => [d.filename, d.contentType])).toEqual([
      ['ordonnance.pdf', 'application/pdf'],
      ['scan.pdf', 'image/png'],
    ]);
  });

  it('refuses a text file renamed .pdf with a 422 naming the field, whatever type is declared', async () => {
    const id = await receive();
    const before = await countRows(app, TABLES);
    const r = await app.http
      .post(`${V}/legal-requests/${id}/documents`)
      .set(bearer(ccj))
      .send({ filename: 'order.pdf', contentBase64: Buffer.from('not a pdf, only text').toString('base64') });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'contentBase64', message: expect.any(String) }]);
    expect(await countRows(app, TABLES)).toEqual(before);
  });

  it('refuses a file over the size limit, and a body that is not base64, with nothing written', async () => {
    const id = await receive();
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4 * 1024 * 1024)]);
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests/${id}/documents`, { filename: 'big.pdf', contentBase64: big.toString('base64') }, 'contentBase64');
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests/${id}/documents`, { filename: 'x.pdf', contentBase64: 'not base64!' }, 'contentBase64');
    await expectBadInput(app, ccj, TABLES, 'post', `${V}/legal-requests/${id}/documents`, { filename: '', contentBase64: PDF.toString('base64') }, 'filename');
    // The larger body limit is this route's only: elsewhere a large body is still a 413.
    const large = await app.http.post(`${V}/legal-requests`).set(bearer(ccj)).send(request({ legalBasis: 'x'.repeat(200 * 1024) }));
    expect(large.status).toBe(413);
  });

  it('an upload to an unknown request is a 404, an unknown document too', async () => {
    expect((await attach('00000000-0000-4000-8000-000000000000', 'o.pdf', PDF)).status).toBe(404);
    const id = await receive();
    expect((await app.http.get(`${V}/legal-requests/${id}/documents/00000000-0000-4000-8000-000000000000`).set(bearer(ccj))).status).toBe(404);
    // A document id must be a UUID, as every id: anything else is a 400 naming it.
    const malformed = await app.http.get(`${V}/legal-requests/${id}/documents/order.pdf`).set(bearer(ccj));
    expect({ status: malformed.status, errors: malformed.body.errors }).toEqual({ status: 400, errors: [{ path: 'id', message: 'must be a UUID' }] });
  });

  it('records the upload and each reading in the ledger', async () => {
    const id = await receive();
    const document = (await attach(id, 'o.pdf', PDF)).body.id;
    await app.http.get(`${V}/legal-requests/${id}/documents/${document}`).set(bearer(ccj));
    await app.http.get(`${V}/legal-requests/${id}/documents/${document}`).set(bearer(ccj));
    const leaves = (await storedLeaves(app)).filter((e) => e.refs.requestId === id);
    expect(leaves.map((e) => e.action)).toEqual(['legal-request.received', 'legal-request.document-attached', 'legal-request.document-read', 'legal-request.document-read']);
    expect(leaves[1].refs).toEqual({ requestId: id, documentId: document, contentType: 'application/pdf' });
  });

  it('is not in clear in a SELECT of the table nor in a pg_dump; the request key is stored only wrapped', async () => {
    const id = await receive();
    const secret = 'the reasoned order of the investigating judge';
    const filename = 'ordonnance-juge-dupont.pdf';
    expect((await attach(id, filename, PDF)).status).toBe(201);

    const rows = await app.sql<Record<string, unknown>>('SELECT * FROM legal_request_documents WHERE request_id = $1', [id]);
    const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
    for (const value of Object.values(rows[0])) {
      const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(filename);
      expect(text).not.toContain('%PDF-');
    }
    const [{ wrapped_key }] = await app.sql<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM legal_requests WHERE id = $1', [id]);
    expect(wrapped_key.length).toBe(12 + 16 + 32);

    const name = new URL(app.databaseUrl).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', name], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain('COPY public.legal_request_documents');
    expect(dump).toContain('BR.12.AB.2026/42');
    for (const clear of [secret, filename]) {
      expect(dump.includes(clear)).toBe(false);
      expect(dump.includes(hex(clear))).toBe(false);
    }
  });
});
