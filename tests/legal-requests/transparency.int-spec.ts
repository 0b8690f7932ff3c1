import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';

let app: TestApp;
let ccj: string;
let masterKey: string;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_TRANSPARENCY_MIN_COUNT: '5' });
  ccj = await app.tokenFor('ccj');
});
afterAll(() => app.close());

/** A request received through the API, as the ccj circle records one. */
async function receive(overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await app.http
    .post(`${V}/legal-requests`)
    .set(bearer(ccj))
    .send({
      authority: 'Parquet de Namur',
      reference: 'NA/2025/77',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: '2025-03-14T09:30:00+01:00',
      selectors: [{ address: '198.51.100.23', at: '2025-03-01T20:00:00Z' }],
      ...overrides,
    })
    .expect(201);
  if (!masterKey) [{ master_key: masterKey }] = await app.sql<{ master_key: string }>(`SELECT master_key FROM legal_requests WHERE id = $1`, [r.body.id]);
  return r.body.id;
}

/** `count` requests in bulk, decided as `decision` (or still received), as decisions are not routes of this branch. */
async function bulk(count: number, kind: string, receivedAt: string, decision: string | null, gagUntil: string | null = null): Promise<void> {
  await app.sql(
    `INSERT INTO legal_requests (id, authority, reference, legal_basis, kind, status, decision, received_at, decided_at, gag_until, wrapped_key, master_key, created_at)
     SELECT gen_random_uuid(), 'Bulk authority', 'BULK/' || n, 'art. 46bis', $2, CASE WHEN $3::text IS NULL THEN 'received' ELSE 'decided' END, $3::text,
            $4::timestamptz, CASE WHEN $3::text IS NULL THEN NULL ELSE $4::timestamptz + interval '1 day' END, $5::timestamptz, '\\x00', $6, now()
       FROM generate_series(1, $1::int) n`,
    [count, kind, decision, receivedAt, gagUntil, masterKey],
  );
}

const report = async () => (await app.http.get(`${V}/transparency`).expect(200)).body;
const yearOf = async (year: number) => (await report()).years.find((y: { year: number }) => y.year === year);
const cell = (year: { cells?: { kind: string; outcome: string; count: unknown }[] }, kind: string, outcome: string) => year.cells?.find((c) => c.kind === kind && c.outcome === outcome)?.count;

describe('GET /transparency', () => {
  it('answers-without-a-token-and-with-no-year-before-any-request', async () => {
    expect(await report()).toEqual({ minimumCount: 5, years: [] });
  });

  it('a-year-with-fewer-requests-than-the-minimum-shows-only-that', async () => {
    for (let i = 0; i < 3; i++) await receive();
    expect(await report()).toEqual({ minimumCount: 5, years: [{ year: 2025, total: { fewerThan: 5 } }] });
  });

  it('a-big-year-masks-its-small-cells-and-one-more-so-the-total-cannot-single-out-a-rare-request', async () => {
    await bulk(40, 'identification', '2026-02-01T10:00:00Z', 'comply');
    await bulk(9, 'identification', '2026-03-01T10:00:00Z', 'refuse');
    await bulk(6, 'traffic-data', '2026-04-01T10:00:00Z', 'contest');
    await receive({ kind: 'interception', receivedAt: '2026-05-01T10:00:00Z' });
    const year = await yearOf(2026);
    expect(year.total).toBe(56);
    expect(cell(year, 'interception', 'pending')).toEqual({ fewerThan: 5 });
    expect(cell(year, 'other', 'refused')).toEqual({ fewerThan: 5 });
    expect(cell(year, 'identification', 'complied')).toEqual({ suppressed: true });
    expect(cell(year, 'identification', 'refused')).toBe(9);
    expect(cell(year, 'traffic-data', 'contested')).toBe(6);
    expect(year.cells).toHaveLength(16);
  });

  it('never-answers-a-reference-an-authority-an-id-an-address-or-a-date', async () => {
    const id = await receive({ reference: 'UNIQUE-REF-4242', authority: 'Juge d’instruction de Liège', receivedAt: '2026-07-04T08:00:00Z' });
    const text = JSON.stringify(await report());
    for (const secret of ['UNIQUE-REF-4242', 'Liège', 'BULK/', 'Parquet', id, '198.51.100.23', '46bis']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\d{4}-\d{2}/);
  });

  it('a-gagged-request-counts-in-its-year-total-and-nothing-else-varies-while-the-gag-holds', async () => {
    const before = await yearOf(2026);
    const gagged = await receive({ kind: 'traffic-data', receivedAt: '2026-05-20T10:00:00Z', gagUntil: '2027-01-01T00:00:00Z' });
    const received = await yearOf(2026);
    expect(received.total).toBe(before.total + 1);
    expect(received.cells).toEqual(before.cells);
    // Its decision moves nothing either.
    await app.sql(`UPDATE legal_requests SET status = 'decided', decision = 'comply', decided_at = '2026-05-21T10:00:00Z' WHERE id = $1`, [gagged]);
    expect(await yearOf(2026)).toEqual(received);
    // Once the gag is over it counts in its cell: traffic-data complied, below the minimum.
    app.clock.set('2027-01-02T00:00:00Z');
    const lifted = await yearOf(2026);
    expect(lifted.total).toBe(received.total);
    expect(cell(lifted, 'traffic-data', 'complied')).toEqual({ fewerThan: 5 });
    app.clock.set('2026-06-01T12:00:00Z');
  });

  it('counts-ten-thousand-requests-in-one-answer', async () => {
    await bulk(10_000, 'identification', '2024-06-01T00:00:00Z', 'comply');
    const year = await yearOf(2024);
    expect(year).toEqual({ year: 2024, total: 10_000 });
  });
});
