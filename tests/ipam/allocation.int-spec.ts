import { storedLeaves } from '../support/ledger';
import { Client } from 'pg';
import { IpAllocationService } from '../../src/ipam/ip-allocation.service';
import { chunkLengthOf } from '../../src/ipam/lowest-free-block';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

const countAssignments = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ip_assignments`))[0].n);

describe('lowest free block', () => {
  it('gives-the-first-usable-address-of-a-small-ipv4-pool-first-and-409-with-counts-when-exhausted', async () => {
    const pool = await makePool(app, tech, '198.18.0.0/30', 32);
    expect(pool).toMatchObject({ prefix: '198.18.0.0/30', family: 'ipv4', assignLength: 32, quarantineDays: 30 });
    const sub = await makeActiveSubscription(app, tech);
    const first = await assign(app, tech, sub, { poolId: pool.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ subscriptionId: sub, poolId: pool.id, prefix: '198.18.0.1/32', validFrom: app.clock.now().toISOString(), validUntil: null });
    const second = await assign(app, tech, sub, { poolId: pool.id });
    expect(second.body.prefix).toBe('198.18.0.2/32');
    const third = await assign(app, tech, sub, { poolId: pool.id });
    expect(third.status).toBe(409);
    expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(third.body).toMatchObject({ type: 'urn:lanterne:problem:pool-exhausted', poolId: pool.id, size: 2, assigned: 2, quarantined: 0, free: 0 });
  });

  it('fills-the-lowest-gap-first', async () => {
    const pool = await makePool(app, tech, '198.18.1.0/29', 32);
    const sub = await makeActiveSubscription(app, tech);
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await assign(app, tech, sub, { poolId: pool.id })).body);
    expect(taken.map((a) => a.prefix)).toEqual(['198.18.1.1/32', '198.18.1.2/32', '198.18.1.3/32']);
    // Releasing with quarantine 0 frees .2 at once: the next allocation goes back to it.
    const noQuarantine = await makePool(app, tech, '198.18.2.0/29', 32, { quarantineDays: 0 });
    const a = (await assign(app, tech, sub, { poolId: noQuarantine.id })).body;
    const b = (await assign(app, tech, sub, { poolId: noQuarantine.id })).body;
    await app.http.post(`/api/v1/ip-assignments/${a.id}/release`).set(bearer(tech)).send({}).expect(200);
    expect(b.prefix).toBe('198.18.2.2/32');
    expect((await assign(app, tech, sub, { poolId: noQuarantine.id })).body.prefix).toBe('198.18.2.1/32');
  });

  it('never-gives-the-first-or-last-address-of-an-ipv4-pool-shorter-than-31-but-uses-a-whole-31', async () => {
    const sub = await makeActiveSubscription(app, tech);
    const pool29 = await makePool(app, tech, '198.18.3.0/29', 32);
    const got = [];
    for (let i = 0; i < 7; i++) got.push(await assign(app, tech, sub, { poolId: pool29.id }));
    expect(got.filter((r) => r.status === 201).map((r) => r.body.prefix)).toEqual(['1', '2', '3', '4', '5', '6'].map((n) => `198.18.3.${n}/32`));
    expect(got[6].status).toBe(409);
    const pool31 = await makePool(app, tech, '198.18.4.0/31', 32);
    expect((await assign(app, tech, sub, { poolId: pool31.id })).body.prefix).toBe('198.18.4.0/32');
    expect((await assign(app, tech, sub, { poolId: pool31.id })).body.prefix).toBe('198.18.4.1/32');
  });

  it('aligns-ipv6-blocks-on-assign-length', async () => {
    const sub = await makeActiveSubscription(app, tech);
    const pool = await makePool(app, tech, '2001:db8::/29', 56);
    expect(pool.family).toBe('ipv6');
    const first = await assign(app, tech, sub, { poolId: pool.id });
    const second = await assign(app, tech, sub, { poolId: pool.id });
    expect([first.body.prefix, second.body.prefix]).toEqual(['2001:db8::/56', '2001:db8:0:100::/56']);
    const asked = await assign(app, tech, sub, { poolId: pool.id, prefix: '2001:db8:0:300::/56' });
    expect(asked.status).toBe(201);
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('2001:db8:0:200::/56');
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('2001:db8:0:400::/56');
    const misaligned = await assign(app, tech, sub, { poolId: pool.id, prefix: '2001:db8:0:180::/56' });
    expect(misaligned.status).toBe(400);
    expect(misaligned.body.detail).toMatch(/not aligned.*did you mean 2001:db8:0:100::\/56/);
  });

  it('walks-past-full-chunks-to-the-next-free-one', async () => {
    // 2048 /32s in a /21: two chunks of 1024 blocks. Fill the first by SQL, as a migration would.
    const pool = await makePool(app, tech, '198.19.0.0/21', 32, { quarantineDays: 0 });
    const [{ chunk_length }] = await app.sql<{ chunk_length: number }>(`SELECT chunk_length FROM ip_pools WHERE id = $1`, [pool.id]);
    expect(chunk_length).toBe(chunkLengthOf(21, 32));
    expect(chunk_length).toBe(22);
    const sub = await makeActiveSubscription(app, tech);
    await app.sql(
      `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from)
       SELECT $1, '198.19.0.0/21', 32, $2, set_masklen('198.19.0.0'::inet + i, 32)::cidr, $3 FROM generate_series(1, 1023) i`,
      [pool.id, sub, app.clock.now()],
    );
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('198.19.4.0/32');
    // A block freed in the first chunk is found again.
    await app.sql(`UPDATE ip_assignments SET valid_until = $2, quarantine_until = $2 WHERE pool_id = $1 AND prefix = '198.19.2.7/32'`, [pool.id, app.clock.now()]);
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('198.19.2.7/32');
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('198.19.4.1/32');
  });
});

describe('requested prefix', () => {
  it('takes-the-block-asked-for-and-refuses-it-twice-with-409', async () => {
    const pool = await makePool(app, tech, '198.18.5.0/24', 32);
    const sub = await makeActiveSubscription(app, tech);
    const asked = await assign(app, tech, sub, { poolId: pool.id, prefix: '198.18.5.77' });
    expect(asked.status).toBe(201);
    expect(asked.body.prefix).toBe('198.18.5.77/32');
    const again = await assign(app, tech, await makeActiveSubscription(app, tech), { poolId: pool.id, prefix: '198.18.5.77/32' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: 'urn:lanterne:problem:prefix-taken', prefix: '198.18.5.77/32' });
  });

  let pool: { id: string };
  beforeAll(async () => {
    pool = await makePool(app, tech, '198.18.6.0/24', 32);
  });

  it.each([
    ['198.18.7.0/32', /outside pool 198\.18\.6\.0\/24/],
    ['198.18.6.0/31', /assigns \/32 blocks, not \/31/],
    ['198.18.6.0', /first address of pool/],
    ['198.18.6.255/32', /last address of pool/],
    ['2001:db8::1/128', /IPv6 but pool 198\.18\.6\.0\/24 is IPv4/],
    ['198.18.6.300', /not an IPv4 or IPv6 prefix/],
  ])('refuses-%s-with-a-400-naming-the-problem-and-writes-nothing', async (prefix, reason) => {
    const sub = await makeActiveSubscription(app, tech);
    const before = await countAssignments();
    const r = await assign(app, tech, sub, { poolId: pool.id, prefix });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.detail).toMatch(reason);
    expect(r.body.errors).toEqual([{ path: 'prefix', message: expect.stringMatching(reason) }]);
    expect(await countAssignments()).toBe(before);
  });
});

describe('pools', () => {
  it('counts-size-assigned-quarantined-and-free-in-blocks', async () => {
    const pool = await makePool(app, tech, '198.18.8.0/28', 32);
    const sub = await makeActiveSubscription(app, tech);
    const a = (await assign(app, tech, sub, { poolId: pool.id })).body;
    await assign(app, tech, sub, { poolId: pool.id });
    await assign(app, tech, sub, { poolId: pool.id });
    await app.http.post(`/api/v1/ip-assignments/${a.id}/release`).set(bearer(tech)).send({}).expect(200);
    const got = await app.http.get(`/api/v1/ip-pools/${pool.id}`).set(bearer(tech));
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...pool, size: 14, assigned: 2, quarantined: 1, free: 11 });
    const other = await makePool(app, tech, '198.18.9.0/29', 32);
    await assign(app, tech, sub, { poolId: other.id });
    const list = await app.http.get('/api/v1/ip-pools').query({ limit: 500 }).set(bearer(tech));
    const listed = (id: string) => list.body.items.find((p: { id: string }) => p.id === id);
    expect(listed(pool.id)).toMatchObject({ size: 14, assigned: 2, quarantined: 1, free: 11 });
    expect(listed(other.id)).toMatchObject({ size: 6, assigned: 1, quarantined: 0, free: 5 });
  });

  it('counts-huge-ipv6-pools-as-decimal-strings', async () => {
    const pool = await makePool(app, tech, '3fff::/48', 128);
    const got = await app.http.get(`/api/v1/ip-pools/${pool.id}`).set(bearer(tech));
    expect(got.body).toMatchObject({ size: String(2n ** 80n), assigned: 0, quarantined: 0, free: String(2n ** 80n) });
  });

  it('refuses-overlapping-pools-and-duplicate-names-with-409', async () => {
    const pool = await makePool(app, tech, '198.18.16.0/22', 32);
    const overlapping = await app.http.post('/api/v1/ip-pools').set(bearer(tech)).send({ name: 'inside', prefix: '198.18.17.0/24', assignLength: 32 });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.detail).toContain(pool.name);
    const sameName = await app.http.post('/api/v1/ip-pools').set(bearer(tech)).send({ name: pool.name, prefix: '198.18.32.0/24', assignLength: 32 });
    expect(sameName.status).toBe(409);
    expect(sameName.body.type).toBe('urn:lanterne:problem:pool-name-taken');
  });
});

describe('the database refuses double assignment by itself', () => {
  it('a-hand-written-insert-overlapping-a-held-block-violates-the-exclusion-constraint', async () => {
    const pool = await makePool(app, tech, '198.18.20.0/24', 32);
    const sub = await makeActiveSubscription(app, tech);
    const held = (await assign(app, tech, sub, { poolId: pool.id })).body;
    const insert = (validFrom: string) =>
      app.sql(
        `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from) VALUES ($1, '198.18.20.0/24', 32, $2, $3, $4)`,
        [pool.id, sub, held.prefix, validFrom],
      );
    await expect(insert('2030-01-01T00:00:00Z')).rejects.toMatchObject({ code: '23P01', constraint: 'ip_assignments_no_double_assignment' });
    await expect(insert('2020-01-01T00:00:00Z')).rejects.toMatchObject({ code: '23P01' });
    // Not a block of the pool: the CHECKs refuse it too.
    await expect(
      app.sql(`INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from) VALUES ($1, '198.18.20.0/24', 32, $2, '198.18.20.0/32', now())`, [pool.id, sub]),
    ).rejects.toMatchObject({ code: '23514', constraint: 'ip_assignments_not_reserved' });
  });

  it('the-free-block-summary-follows-hand-written-deletes-and-truncates', async () => {
    const pool = await makePool(app, tech, '198.18.24.0/29', 32);
    const sub = await makeActiveSubscription(app, tech);
    for (let i = 0; i < 6; i++) await assign(app, tech, sub, { poolId: pool.id });
    expect((await assign(app, tech, sub, { poolId: pool.id })).status).toBe(409);
    await app.sql(`DELETE FROM ip_assignments WHERE pool_id = $1 AND prefix = '198.18.24.4/32'`, [pool.id]);
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('198.18.24.4/32');
    const other = new Client({ connectionString: app.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      // CASCADE: the PTR names of reverse DNS reference assignments.
      await other.query('TRUNCATE ip_assignments CASCADE');
      expect((await other.query('SELECT count(*)::int AS n FROM ip_pool_chunks')).rows).toEqual([{ n: 0 }]);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('a-concurrent-writer-that-does-not-queue-on-the-pool-only-makes-the-allocation-retry', async () => {
    const pool = await makePool(app, tech, '198.18.21.0/29', 32);
    const sub = await makeActiveSubscription(app, tech);
    const allocation = app.lanterne.app.get(IpAllocationService);
    // Hold 198.18.21.1 in an open transaction, then let the allocation start and wait on it.
    const other = new Client({ connectionString: app.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from) VALUES ($1, '198.18.21.0/29', 32, $2, '198.18.21.1/32', $3)`, [
        pool.id,
        sub,
        app.clock.now(),
      ]);
      const pending = allocation.assign(sub, { poolId: pool.id });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('COMMIT');
      expect((await pending).prefix).toBe('198.18.21.2/32');
    } finally {
      await other.end();
    }
  });
});

describe('subscriptions and dates', () => {
  it('refuses-an-ended-subscription-a-future-start-and-a-start-before-the-subscription', async () => {
    const pool = await makePool(app, tech, '198.18.22.0/24', 32);
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2026-01-01T00:00:00Z' });
    const before = await countAssignments();
    expect((await assign(app, tech, sub, { poolId: pool.id, validFrom: '2099-01-01T00:00:00Z' })).status).toBe(422);
    expect((await assign(app, tech, sub, { poolId: pool.id, validFrom: '2025-12-31T00:00:00Z' })).status).toBe(422);
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    const ended = await assign(app, tech, sub, { poolId: pool.id });
    expect(ended.status).toBe(409);
    expect(await countAssignments()).toBe(before);
    const unknownPool = await assign(app, tech, await makeActiveSubscription(app, tech), { poolId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownPool.status).toBe(404);
  });

  it('lists-what-a-subscription-holds-now', async () => {
    const pool = await makePool(app, tech, '198.18.23.0/24', 32);
    const sub = await makeActiveSubscription(app, tech);
    const a = (await assign(app, tech, sub, { poolId: pool.id })).body;
    const b = (await assign(app, tech, sub, { poolId: pool.id })).body;
    await app.http.post(`/api/v1/ip-assignments/${a.id}/release`).set(bearer(tech)).send({}).expect(200);
    const list = await app.http.get(`/api/v1/subscriptions/${sub}/ip-assignments`).set(bearer(tech));
    expect(list.body).toMatchObject({ total: 1, items: [{ id: b.id, prefix: b.prefix }] });
    const current = await app.http.get(`/api/v1/ip-assignments/${b.id}`).set(bearer(tech));
    expect(current.body).toMatchObject({ id: b.id, validUntil: null });
  });

  it('reading-an-ended-assignment-is-ip-history-it-needs-a-purpose-and-lands-in-the-ledger', async () => {
    const pool = await makePool(app, tech, '198.18.25.0/24', 32);
    const sub = await makeActiveSubscription(app, tech);
    const a = (await assign(app, tech, sub, { poolId: pool.id })).body;
    await app.http.post(`/api/v1/ip-assignments/${a.id}/release`).set(bearer(tech)).send({}).expect(200);
    const leaves = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ledger_leaves`))[0].n);
    const before = await leaves();
    const refused = await app.http.get(`/api/v1/ip-assignments/${a.id}`).set(bearer(tech));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'purpose', message: expect.any(String) }]);
    expect(refused.body.prefix).toBeUndefined();
    expect(await leaves()).toBe(before);
    const one = await app.http.get(`/api/v1/ip-assignments/${a.id}`).query({ purpose: 'ticket 12: former address' }).set(bearer(tech));
    expect(one.body).toMatchObject({ id: a.id, validUntil: app.clock.now().toISOString() });
    const entry = (await storedLeaves(app)).at(-1);
    expect(entry).toMatchObject({ action: 'ip-history.looked-up', purposeCategory: 'other', refs: { assignments: [a.id] }, personal: { purpose: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(JSON.stringify(entry)).not.toContain('ticket 12');
  });
});
