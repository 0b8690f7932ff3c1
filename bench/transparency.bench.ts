import 'reflect-metadata';
import { bearer, createTestApp, TestApp } from '../tests/support/test-app';
import { interleavedMediansMs, reportFigure, reportRatio } from './support';

/** Requests in the table; TRANSPARENCY_BENCH_ROWS=1000 runs it small. */
const REQUESTS = Number(process.env.TRANSPARENCY_BENCH_ROWS ?? 10_000);
const TIMES = 50;

/**
 * GET /transparency over REQUESTS legal requests spread over ten years, every kind and outcome, a
 * few under a gag order: the whole answer (HTTP, the aggregate query, the masking) against a public
 * route that reads one indexed row (GET /ledger/checkpoint), measured turn about in the same run.
 */
export async function run(): Promise<void> {
  const app = await createTestApp({ LANTERNE_ROLE: 'api' });
  try {
    await fill(app);
    const get = (path: string) => async () => {
      const r = await app.http.get(path);
      if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
    };
    const report = get('/api/v1/transparency');
    const checkpoint = get('/api/v1/ledger/checkpoint');
    await report();
    const [reportMs, checkpointMs] = await interleavedMediansMs(TIMES, report, checkpoint);
    reportFigure('legal requests', REQUESTS.toLocaleString('en'));
    reportFigure('GET /transparency, median', `${reportMs.toFixed(2)} ms`);
    reportRatio('transparency report', { label: 'GET /transparency', ms: reportMs }, { label: 'GET /ledger/checkpoint (one indexed row)', ms: checkpointMs }, 5);
  } finally {
    await app.close();
  }
}

async function fill(app: TestApp): Promise<void> {
  const ccj = await app.tokenFor('ccj');
  const first = await app.http
    .post('/api/v1/legal-requests')
    .set(bearer(ccj))
    .send({ authority: 'Parquet', reference: 'B/0', legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-01-01T00:00:00Z', selectors: [{ address: '192.0.2.1', at: '2026-01-01T00:00:00Z' }] });
  const [{ master_key: masterKey }] = await app.sql<{ master_key: string }>('SELECT master_key FROM legal_requests WHERE id = $1', [first.body.id]);
  await app.sql(
    `INSERT INTO legal_requests (id, authority, reference, legal_basis, kind, status, decision, received_at, decided_at, gag_until, wrapped_key, master_key, created_at)
     SELECT gen_random_uuid(), 'Bench authority', 'B/' || n, 'art. 46bis', (ARRAY['identification', 'traffic-data', 'interception', 'other'])[1 + n % 4],
            CASE WHEN n % 5 = 0 THEN 'received' ELSE 'decided' END,
            CASE WHEN n % 5 = 0 THEN NULL ELSE (ARRAY['comply', 'contest', 'refuse'])[1 + n % 3] END,
            '2016-01-01'::timestamptz + (n % 3650) * interval '1 day',
            CASE WHEN n % 5 = 0 THEN NULL ELSE '2016-01-02'::timestamptz + (n % 3650) * interval '1 day' END,
            CASE WHEN n % 97 = 0 THEN '2099-01-01'::timestamptz END, '\\x00', $2, now()
       FROM generate_series(1, $1::int - 1) n`,
    [REQUESTS, masterKey],
  );
  await app.sql('VACUUM ANALYZE legal_requests');
}
