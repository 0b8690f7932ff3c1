import { randomBytes } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { bearer } from '../support/test-app';
import { makeSubscriber, makeSubscription } from './subscriber.factory';

export interface PoolFixture {
  id: string;
  name: string;
  prefix: string;
  family: string;
  assignLength: number;
  quarantineDays: number;
}

/** Creates an IP pool through the API, as a technician would. */
export async function makePool(app: TestApp, token: string, prefix: string, assignLength: number, overrides: Record<string, unknown> = {}): Promise<PoolFixture> {
  const response = await app.http
    .post('/api/v1/ip-pools')
    .set(bearer(token))
    .send({ name: `pool-${randomBytes(4).toString('hex')}`, prefix, assignLength, ...overrides });
  if (response.status !== 201) throw new Error(`makePool: ${response.status} ${response.text}`);
  return response.body;
}

/** A member with one active subscription; returns the subscription id. */
export async function makeActiveSubscription(app: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const subscriber = await makeSubscriber(app, token);
  return (await makeSubscription(app, token, subscriber.id, overrides)).id;
}

export async function assign(app: TestApp, token: string, subscriptionId: string, body: Record<string, unknown>) {
  return app.http.post(`/api/v1/subscriptions/${subscriptionId}/ip-assignments`).set(bearer(token)).send(body);
}
