import { randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { WebhookDeliveries } from '../../src/provisioning/webhook-deliveries.service';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** A router's webhook endpoint: records every delivery, answering with the next status of `script` (200 once it runs out). */
class StubReceiver {
  readonly deliveries: { headers: IncomingHttpHeaders; body: string; status: number }[] = [];
  private readonly server: Server;
  script: number[] = [];

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = this.script.shift() ?? 200;
        this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        response.writeHead(status).end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/lanterne`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  of(seq: number) {
    return this.deliveries.filter((delivery) => delivery.headers['webhook-id'] === `change-${seq}`);
  }
}

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ATTEMPTS = 3;

let app: TestApp;
let tech: string;
let receiver: StubReceiver;

beforeAll(async () => {
  receiver = new StubReceiver();
  const url = await receiver.listen();
  app = await createTestApp({ LANTERNE_WEBHOOK_URL: url, LANTERNE_WEBHOOK_SECRET: SECRET, LANTERNE_WEBHOOK_ATTEMPTS: String(ATTEMPTS), LANTERNE_WEBHOOK_BACKOFF_MS: '50' });
  tech = await app.tokenFor('technician');
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const outcome = (seq: number) =>
  eventually(`the outcome of change ${seq}`, async () => {
    const [row] = await app.sql<{ delivered_at: Date | null; delivery_failed_at: Date | null }>(`SELECT delivered_at, delivery_failed_at FROM provisioning_changes WHERE seq = $1`, [seq]);
    return row && (row.delivered_at || row.delivery_failed_at) ? row : undefined;
  });

const lastSeq = async () => Number((await app.sql<{ seq: string }>(`SELECT max(seq) AS seq FROM provisioning_changes`))[0].seq ?? 0);
const feed = (query: Record<string, string>) => app.http.get('/api/v1/provisioning/changes').set(bearer(tech)).query(query);

describe('signed webhooks, sent by a job once the change commits', () => {
  it('retries-after-a-500-and-every-attempt-verifies-with-the-standard-webhooks-library', async () => {
    const pool = await makePool(app, tech, '192.0.2.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech);
    receiver.script = [500];
    const held = await assign(app, tech, subscriptionId, { poolId: pool.id });
    expect(held.status).toBe(201);
    const seq = await lastSeq();
    expect(await outcome(seq)).toMatchObject({ delivered_at: expect.any(Date), delivery_failed_at: null });

    const attempts = receiver.of(seq);
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    const verifier = new Webhook(SECRET);
    for (const attempt of attempts) {
      expect(verifier.verify(attempt.body, attempt.headers as Record<string, string>)).toEqual({
        type: 'assignment.created',
        timestamp: app.clock.now().toISOString(),
        data: { seq, subscriptionId, details: { assignmentId: held.body.id, poolId: pool.id, prefix: held.body.prefix } },
      });
    }
    expect(() => verifier.verify(attempts[1].body.replace(held.body.prefix, '192.0.2.99/32'), attempts[1].headers as Record<string, string>)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(attempts[1].body, attempts[1].headers as Record<string, string>)).toThrow(WebhookVerificationError);
  });

  it('tells-routers-of-ptr-changes-and-releases-in-order', async () => {
    const pool = await makePool(app, tech, '2001:db8::/48', 56);
    const subscriptionId = await makeActiveSubscription(app, tech);
    const held = (await assign(app, tech, subscriptionId, { poolId: pool.id })).body;
    const address = held.prefix.replace('::/56', '::1');
    await app.http.put(`/api/v1/subscriptions/${subscriptionId}/reverse-dns`).set(bearer(tech)).send({ address, name: 'cpe.example.net' }).expect(200);
    await app.http.post(`/api/v1/ip-assignments/${held.id}/release`).set(bearer(tech)).send({}).expect(200);
    const last = await lastSeq();
    await outcome(last);
    const received = [last - 2, last - 1, last].map((seq) => new Webhook(SECRET).verify(receiver.of(seq).at(-1)!.body, receiver.of(seq).at(-1)!.headers as Record<string, string>));
    expect(received).toEqual([
      expect.objectContaining({ type: 'assignment.created' }),
      expect.objectContaining({ type: 'ptr.changed', data: { seq: last - 1, subscriptionId, details: { assignmentId: held.id, address, ptr: 'cpe.example.net' } } }),
      expect.objectContaining({ type: 'assignment.released', data: expect.objectContaining({ details: { assignmentId: held.id, prefix: held.prefix, validUntil: app.clock.now().toISOString() } }) }),
    ]);
  });

  it('gives-up-after-the-configured-attempts-and-the-feed-still-has-the-change', async () => {
    const pool = await makePool(app, tech, '198.51.100.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech);
    receiver.script = Array(ATTEMPTS).fill(503);
    expect((await assign(app, tech, subscriptionId, { poolId: pool.id })).status).toBe(201);
    const seq = await lastSeq();
    expect(await outcome(seq)).toMatchObject({ delivered_at: null, delivery_failed_at: expect.any(Date) });
    expect(receiver.of(seq)).toHaveLength(ATTEMPTS);
    const page = await feed({ since: String(seq - 1) });
    expect(page.body.items.map((item: { seq: number }) => item.seq)).toEqual([seq]);
  });

  it('a-refused-change-sends-nothing-and-a-lost-job-is-sent-by-the-sweep', async () => {
    const pool = await makePool(app, tech, '203.0.113.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech);
    expect((await assign(app, tech, subscriptionId, { poolId: pool.id, prefix: '203.0.113.9' })).status).toBe(201);
    const before = await lastSeq();
    await outcome(before);
    const sent = receiver.deliveries.length;
    // Taken: the transaction rolls back, and with it its change.
    expect((await assign(app, tech, subscriptionId, { poolId: pool.id, prefix: '203.0.113.9' })).status).toBe(409);

    // A change whose job never reached the queue (the process stopped between commit and enqueue).
    const [{ seq }] = await app.sql<{ seq: string }>(
      `INSERT INTO provisioning_changes (kind, subscription_id, details, at) VALUES ('peer.changed', $1, '{"peerType":"wireguard","publicKey":"x"}', $2) RETURNING seq`,
      [subscriptionId, new Date(app.clock.now().getTime() - 120_000)],
    );
    expect(receiver.deliveries).toHaveLength(sent);
    expect(await app.lanterne.app.get(WebhookDeliveries).sweep()).toBe(1);
    expect(await outcome(Number(seq))).toMatchObject({ delivered_at: expect.any(Date) });
    expect(Number(seq)).toBeGreaterThan(before);
  });
});

describe('the reconciliation feed', () => {
  it('pages-through-every-change-after-since-and-says-where-to-continue', async () => {
    const all = (await feed({ since: '0', limit: '500' })).body;
    expect(all.items.length).toBeGreaterThanOrEqual(6);
    expect(all.items.map((item: { seq: number }) => item.seq)).toEqual([...all.items.map((item: { seq: number }) => item.seq)].sort((a, b) => a - b));
    expect(all.next).toBe(all.items.at(-1).seq);

    const first = (await feed({ since: '0', limit: '2' })).body;
    expect(first.items).toEqual(all.items.slice(0, 2));
    const second = (await feed({ since: String(first.next), limit: '2' })).body;
    expect(second.items).toEqual(all.items.slice(2, 4));
    const caughtUp = (await feed({ since: String(all.next) })).body;
    expect(caughtUp).toEqual({ items: [], next: all.next });
    expect(all.items[0]).toEqual({ seq: all.items[0].seq, kind: 'assignment.created', subscriptionId: expect.any(String), details: expect.any(Object), at: expect.any(String) });
  });

  it('refuses-a-bad-cursor-and-other-roles', async () => {
    for (const since of ['-1', 'abc', '0x10', '']) expect((await feed({ since })).status).toBe(400);
    expect((await feed({ limit: '501' })).status).toBe(400);
    const ccj = await app.tokenFor('ccj');
    expect((await app.http.get('/api/v1/provisioning/changes').set(bearer(ccj))).status).toBe(403);
  });
});
