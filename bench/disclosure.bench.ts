import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../src/common/access';
import { masterKeyFingerprint, newDataKey, openIdentityField, sealIdentityField, unwrapDataKey, wrapDataKey } from '../src/identity/vault-crypto';
import { LOOKUP_SQL } from '../src/ipam/ipam.store';
import { DisclosuresService } from '../src/legal-requests/disclosures.service';
import { bearer, createTestApp, TestApp } from '../tests/support/test-app';
import { durationMs, reportFigure, reportRatio } from './support';

/** Overridable so that the bench can run small: BENCH_DISCLOSURE_ASSIGNMENTS=20000 BENCH_DISCLOSURE_IDENTITIES=1000 npm run bench disclosure. */
const ASSIGNMENTS = Number(process.env.BENCH_DISCLOSURE_ASSIGNMENTS ?? 1_000_000);
const IDENTITIES = Number(process.env.BENCH_DISCLOSURE_IDENTITIES ?? 10_000);
const SELECTORS = 100;
/** Requests disclosed (each can be disclosed once), the baseline measured as often, turn about. */
const ROUNDS = Number(process.env.BENCH_DISCLOSURE_ROUNDS ?? 3);
/** Each block is held four times, 60 days each, 90 days apart (past its 30-day quarantine). */
const PERIODS = 4;
const HISTORY_START = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

/**
 * The disclosure of a request with SELECTORS selectors among ASSIGNMENTS historic assignments held by
 * IDENTITIES members with sealed identities (DisclosuresService.disclose: the accreditation check, the
 * request locked, per selector the lookup, the identity read, the member number and three ledger
 * entries, then the sealed answer and the move), against the same lookups and decryptions done
 * directly in one transaction, with nothing recorded.
 */
export async function run(): Promise<void> {
  // The api role: no worker, so no job runs in between.
  const app = await createTestApp({ LANTERNE_ROLE: 'api', LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '10' });
  try {
    const dataSource = app.lanterne.app.get<DataSource>(getDataSourceToken());
    const masterKey = Buffer.from(app.env.LANTERNE_MASTER_KEY, 'base64');
    await populate(app, masterKey);
    const selectors = Array.from({ length: SELECTORS }, (_, i) => selectorOf(Math.floor((i * ASSIGNMENTS) / SELECTORS) + (i % PERIODS)));
    const { actor, requests } = await decidedRequests(app, selectors);
    const disclosures = app.lanterne.app.get(DisclosuresService);

    const through: number[] = [];
    const direct: number[] = [];
    let matches = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const sides = [
        async () => {
          through.push(await durationMs(async () => (matches = (await disclosures.disclose(requests[round], actor)).entries.filter((e) => e.result === 'match').length)));
          if (matches !== SELECTORS) throw new Error(`the disclosure matched ${matches} selectors, not ${SELECTORS}`);
        },
        async () => {
          let opened = 0;
          direct.push(await durationMs(async () => (opened = await lookUpDirectly(dataSource, masterKey, selectors))));
          if (opened !== SELECTORS) throw new Error(`the direct reads opened ${opened} identities, not ${SELECTORS}`);
        },
      ];
      for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    }
    reportFigure('historic assignments, sealed identities, selectors', `${ASSIGNMENTS.toLocaleString('en')}, ${IDENTITIES.toLocaleString('en')}, ${SELECTORS}`);
    reportFigure('disclosure per selector', `${((median(through) / SELECTORS) * 1000).toFixed(0)} µs`);
    reportRatio(
      `disclosing ${SELECTORS} selectors (median of ${ROUNDS})`,
      { label: 'POST disclosures (service): lookups, identity reads, 3 ledger entries per match, sealed answer', ms: median(through) },
      { label: 'the same lookups and decryptions, directly, nothing recorded', ms: median(direct) },
      // Each match appends three ledger entries (the lookup, the identity read, the disclosure), each
      // with its personal values sealed: the accountability is the cost.
      8,
    );
  } finally {
    await app.close();
  }
}

/** The address of assignment n and an instant 30 days into its period. */
function selectorOf(n: number): { address: string; at: string } {
  const block = Math.floor(n / PERIODS) + 1;
  const address = `10.${(block >> 16) & 255}.${(block >> 8) & 255}.${block & 255}`;
  return { address, at: new Date(HISTORY_START + ((n % PERIODS) * 90 + 30) * DAY).toISOString() };
}

/** IDENTITIES members, each with one subscription, a data key and a sealed identity; ASSIGNMENTS ended assignments spread over them. */
async function populate(app: TestApp, masterKey: Buffer): Promise<void> {
  const ids = Array.from({ length: IDENTITIES }, () => randomUUID());
  const keys = ids.map(() => newDataKey());
  await app.sql(
    `INSERT INTO subscribers (id, member_number, display_name, email, status)
     SELECT id, 1000 + n, 'Member ' || n, 'member' || n || '@example.org', 'active' FROM unnest($1::uuid[]) WITH ORDINALITY AS t (id, n)`,
    [ids],
  );
  await app.sql(`INSERT INTO subscriptions (subscriber_id, service, starts_at) SELECT id, 'vpn', '2024-01-01' FROM unnest($1::uuid[]) AS t (id)`, [ids]);
  await app.sql(`INSERT INTO subscriber_data_keys (subscriber_id, wrapped, master_key) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::text[])`, [
    ids,
    ids.map((id, i) => wrapDataKey(masterKey, id, keys[i])),
    ids.map(() => masterKeyFingerprint(masterKey)),
  ]);
  await app.sql(
    `INSERT INTO identities (subscriber_id, legal_name, contact_method, contact, verified_at, verification_id)
     SELECT s, n, 'sms', c, '2024-06-01', gen_random_uuid() FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS t (s, n, c)`,
    [ids, ids.map((id, i) => sealIdentityField(keys[i], id, 'legal_name', `Legal Name ${i}`)), ids.map((id, i) => sealIdentityField(keys[i], id, 'contact', `+3247${String(i).padStart(7, '0')}`))],
  );
  await app.sql(`INSERT INTO ip_pools (name, prefix, assign_length) VALUES ('history', '10.0.0.0/8', 32)`);
  await app.sql(
    `WITH s AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM subscriptions)
     INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from, valid_until, quarantine_until)
     SELECT p.id, p.prefix, 32, s.id, set_masklen('10.0.0.0'::inet + (n / ${PERIODS}) + 1, 32)::cidr,
            $1::timestamptz + (n % ${PERIODS}) * interval '90 days',
            $1::timestamptz + ((n % ${PERIODS}) * 90 + 60) * interval '1 day',
            $1::timestamptz + ((n % ${PERIODS}) * 90 + 90) * interval '1 day'
     FROM ip_pools p, generate_series(0, $2::int - 1) n JOIN s ON s.k = n % $3::int WHERE p.name = 'history'`,
    [new Date(HISTORY_START), ASSIGNMENTS, IDENTITIES],
  );
  await app.sql('VACUUM ANALYZE');
}

/** ROUNDS requests naming the same selectors, each decided `comply` by two accredited members. */
async function decidedRequests(app: TestApp, selectors: { address: string; at: string }[]): Promise<{ actor: Actor; requests: string[] }> {
  const people: { id: string; token: string }[] = [];
  for (const name of ['bench judge 1', 'bench judge 2']) {
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name, roles: ['ccj'] }).expect(201);
    await app.http
      .post('/api/v1/circles/ccj/members')
      .set(bearer(app.adminToken))
      .send({ accountId: created.body.id, accreditation: { grantedOn: '2026-01-01', expiresOn: '2030-12-31', authority: 'AG' } })
      .expect(201);
    people.push({ id: created.body.id, token: created.body.token });
  }
  const requests: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const received = await app.http
      .post('/api/v1/legal-requests')
      .set(bearer(people[0].token))
      .send({ authority: 'Parquet', reference: `BENCH/${round}`, legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-05-01T00:00:00Z', selectors })
      .expect(201);
    const proposal = await app.http.post(`/api/v1/legal-requests/${received.body.id}/decision-proposal`).set(bearer(people[0].token)).send({ decision: 'comply', rationale: 'bench' }).expect(201);
    for (const who of people) await app.http.post(`/api/v1/proposals/${proposal.body.id}/positions`).set(bearer(who.token)).send({ position: 'consent' }).expect(200);
    await app.http.post(`/api/v1/proposals/${proposal.body.id}/close`).set(bearer(people[0].token)).expect(200);
    requests.push(received.body.id);
  }
  return { actor: { id: people[0].id, name: 'bench judge 1', roles: ['ccj'], role: 'ccj', subscriberId: null }, requests };
}

/** What a disclosure reads, read without it: the holder at each instant, their data key unwrapped, name and contact opened, their member number. */
async function lookUpDirectly(dataSource: DataSource, masterKey: Buffer, selectors: { address: string; at: string }[]): Promise<number> {
  return dataSource.transaction(async (em) => {
    let opened = 0;
    for (const selector of selectors) {
      const [holder]: { subscriber_id: string }[] = await em.query(LOOKUP_SQL, [selector.address, new Date(selector.at)]);
      if (!holder) continue;
      const [row]: { legal_name: Buffer; contact: Buffer; wrapped: Buffer; member_number: number }[] = await em.query(
        `SELECT i.legal_name, i.contact, k.wrapped, s.member_number FROM identities i JOIN subscriber_data_keys k USING (subscriber_id) JOIN subscribers s ON s.id = i.subscriber_id WHERE i.subscriber_id = $1`,
        [holder.subscriber_id],
      );
      const key = unwrapDataKey(masterKey, holder.subscriber_id, row.wrapped);
      if (openIdentityField(key, holder.subscriber_id, 'legal_name', row.legal_name) && openIdentityField(key, holder.subscriber_id, 'contact', row.contact)) opened++;
    }
    return opened;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
