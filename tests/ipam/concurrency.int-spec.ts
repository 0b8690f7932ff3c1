import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

describe('concurrent allocations', () => {
  it('two-hundred-simultaneous-requests-on-a-pool-of-fourteen-get-fourteen-distinct-blocks-and-186-conflicts', async () => {
    // A /28 has 16 addresses; its first and last are never assigned: capacity 14.
    const pool = await makePool(app, tech, '100.64.0.0/28', 32);
    const member = await makeSubscriber(app, tech);
    const subscriptions: string[] = [];
    for (let i = 0; i < 20; i++) subscriptions.push((await makeSubscription(app, tech, member.id)).id);

    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        app.http.post(`/api/v1/subscriptions/${subscriptions[i % subscriptions.length]}/ip-assignments`).set(bearer(tech)).send({ poolId: pool.id }),
      ),
    );

    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(14);
    expect(refused).toHaveLength(186);
    expect(refused.every((r) => r.body.type === 'urn:lanterne:problem:pool-exhausted' && r.body.free === 0)).toBe(true);
    const prefixes = created.map((r) => r.body.prefix);
    expect(new Set(prefixes).size).toBe(14);
    expect([...prefixes].sort((a, b) => Number(a.split('.')[3].split('/')[0]) - Number(b.split('.')[3].split('/')[0]))).toEqual(
      Array.from({ length: 14 }, (_, i) => `100.64.0.${i + 1}/32`),
    );
    const [{ n }] = await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ip_assignments WHERE pool_id = $1`, [pool.id]);
    expect(Number(n)).toBe(14);
  });
});
