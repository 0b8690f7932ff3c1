import { randomBytes } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { bearer } from '../support/test-app';

export interface SubscriberFixture {
  id: string;
  memberNumber: number;
  displayName: string;
  email: string;
  status: string;
}

/** Registers a member through the API, as a technician would. */
export async function makeSubscriber(app: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<SubscriberFixture> {
  const suffix = randomBytes(3).toString('hex');
  const response = await app.http
    .post('/api/v1/subscribers')
    .set(bearer(token))
    .send({ displayName: `Member ${suffix}`, email: `member-${suffix}@example.org`, ...overrides });
  if (response.status !== 201) throw new Error(`makeSubscriber: ${response.status} ${response.text}`);
  return response.body;
}

export async function makeSubscription(app: TestApp, token: string, subscriberId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; startsAt: string }> {
  const response = await app.http.post('/api/v1/subscriptions').set(bearer(token)).send({ subscriberId, service: 'vpn', ...overrides });
  if (response.status !== 201) throw new Error(`makeSubscription: ${response.status} ${response.text}`);
  return response.body;
}
