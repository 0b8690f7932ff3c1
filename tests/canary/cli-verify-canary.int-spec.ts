import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { canaryText, signCanary } from '../../src/canary/canary-signature';
import { runCli } from '../support/run-cli';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';

let app: TestApp;
let url: string;

beforeAll(async () => {
  app = await createTestApp();
  url = app.lanterne.url as string;
});
afterAll(() => app.close());

/** Adopts a canary through the ccj circle. */
async function issueCanary(statement: string, renewBy: string): Promise<void> {
  const members = [];
  for (const name of ['Alice', 'Bruno']) {
    const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles: ['ccj'] }).expect(201);
    await app.http
      .post(`${V}/circles/ccj/members`)
      .set(bearer(app.adminToken))
      .send({ accountId: created.body.id, accreditation: { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'AG' } })
      .expect(201);
    members.push(created.body.token as string);
  }
  const proposed = await app.http.post(`${V}/canary/proposals`).set(bearer(members[0])).send({ statement, renewBy }).expect(201);
  for (const token of members) await app.http.post(`${V}/proposals/${proposed.body.proposalId}/positions`).set(bearer(token)).send({ position: 'consent' }).expect(200);
  await app.http.post(`${V}/proposals/${proposed.body.proposalId}/close`).set(bearer(members[0])).expect(200);
}

/** A stand-in for the instance: forwards every request to it, but answers /canary as `alter` rewrites it. */
async function tamperingProxy(alter: (canary: Record<string, unknown>) => Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const upstream = await fetch(`${url}${request.url}`);
      let body = await upstream.text();
      if (request.url === `${V}/canary`) body = JSON.stringify(alter(JSON.parse(body)));
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
    })().catch((error: Error) => response.writeHead(502).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function verifyThrough(alter: (canary: Record<string, unknown>) => Record<string, unknown>) {
  const proxy = await tamperingProxy(alter);
  try {
    return await runCli(['verify-canary', '--url', proxy.url], {});
  } finally {
    await proxy.close();
  }
}

describe('lanterne verify-canary --url', () => {
  it('fails-when-no-canary-was-ever-issued', async () => {
    const result = await runCli(['verify-canary', '--url', url], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/canary verification FAILED: GET \/canary answered 404/);
  });

  it('prints-the-dates-and-a-current-status-for-a-canary-signed-by-the-ledger-key', async () => {
    // Past the real clock too: the command judges the status by its own clock as well.
    await issueCanary('The association has received no order it may not disclose.', '2099-01-01T00:00:00Z');
    const result = await runCli(['verify-canary', '--url', url], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^issued: 2026-06-01T12:00:00\.000Z$/m);
    expect(result.stdout).toMatch(/^renew by: 2099-01-01T00:00:00\.000Z$/m);
    expect(result.stdout).toMatch(/^signature: valid, by the ledger key of the checkpoint$/m);
    expect(result.stdout).toMatch(/^status: current$/m);
  });

  it('fails-on-an-altered-statement', async () => {
    const result = await verifyThrough((canary) => ({ ...canary, statement: 'The association has received an order.' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAILED: the signature does not verify over the statement and dates served/);
  });

  it('fails-on-a-canary-re-signed-with-another-key', async () => {
    const result = await verifyThrough((canary) => ({
      ...canary,
      ...signCanary(generateKeyPairSync('ed25519').privateKey, { statement: 'Forged.', issuedAt: new Date(canary.issuedAt as string), renewBy: new Date(canary.renewBy as string) }),
    }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAILED: the canary is signed by a key other than the ledger key of the checkpoint/);
  });

  it('says-lapsed-and-exits-2-once-the-server-reads-it-lapsed', async () => {
    app.clock.set('2099-01-02T00:00:00Z');
    const result = await runCli(['verify-canary', '--url', url], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^status: lapsed$/m);
    expect(result.stderr).toMatch(/the canary LAPSED: it was due for renewal by 2099-01-01T00:00:00.000Z/);
  });

  it('does-not-believe-a-server-that-says-current-past-the-renewal-date-by-its-own-clock', async () => {
    // Signed by the ledger key itself, so that only the dates can tell: renewed by a day already past here.
    const ledgerKey = createPrivateKey({ key: Buffer.from(app.env.LANTERNE_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' });
    const result = await verifyThrough((canary) => {
      const signed = signCanary(ledgerKey, { statement: canary.statement as string, issuedAt: new Date('2020-01-01T00:00:00Z'), renewBy: new Date('2020-02-01T00:00:00Z') });
      return { ...canary, ...signed, signedText: canaryText(signed.issuedAt, signed.renewBy, signed.statement), status: 'current' };
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^status: lapsed$/m);
  });
});
