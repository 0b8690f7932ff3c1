import { createPrivateKey, X509Certificate } from 'node:crypto';
import { makeActiveSubscription } from '../factories/network.factory';
import { associationEnvironment, makeCsr, makeWireguardKeys } from '../support/tunnel-association';
import { expectBadInput } from '../support/refusals';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let caPem: string;

beforeAll(async () => {
  const association = await associationEnvironment({ LANTERNE_OPENVPN_CERT_DAYS: '365' });
  caPem = association.ca.certificatePem;
  ({ app, tech } = await createTechnicianApp(association.env));
});
afterAll(() => app.close());

const TABLES = ['tunnel_peers'];
const peer = (sub: string) => `/api/v1/subscriptions/${sub}/tunnel/peer`;
const register = (sub: string, body: object) => app.http.put(peer(sub)).set(bearer(tech)).send(body);

describe('a WireGuard peer', () => {
  it('registers-the-cpe-public-key-and-shows-it-back', async () => {
    const sub = await makeActiveSubscription(app, tech);
    expect((await app.http.get(peer(sub)).set(bearer(tech))).status).toBe(404);
    const { publicKey } = makeWireguardKeys();
    const r = await register(sub, { type: 'wireguard', publicKey });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      subscriptionId: sub,
      type: 'wireguard',
      publicKey,
      certificate: null,
      certificateSerial: null,
      certificateNotAfter: null,
      registeredAt: app.clock.now().toISOString(),
    });
    expect((await app.http.get(peer(sub)).set(bearer(tech))).body).toEqual(r.body);
  });

  it('a-new-key-replaces-the-old-one', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await register(sub, { type: 'wireguard', publicKey: makeWireguardKeys().publicKey }).expect(200);
    const second = makeWireguardKeys().publicKey;
    await register(sub, { type: 'wireguard', publicKey: second }).expect(200);
    expect(await app.sql(`SELECT public_key FROM tunnel_peers WHERE subscription_id = $1`, [sub])).toEqual([{ public_key: second }]);
  });

  it('two-subscriptions-cannot-share-a-key', async () => {
    const { publicKey } = makeWireguardKeys();
    const first = await makeActiveSubscription(app, tech);
    const second = await makeActiveSubscription(app, tech);
    await register(first, { type: 'wireguard', publicKey }).expect(200);
    const refused = await register(second, { type: 'wireguard', publicKey });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toContain('tunnel-peer-key-taken');
    expect((await app.http.get(peer(second)).set(bearer(tech))).status).toBe(404);
  });

  it('refuses-keys-that-wg-would-refuse-naming-the-field-and-writing-nothing', async () => {
    const sub = await makeActiveSubscription(app, tech);
    for (const publicKey of [Buffer.alloc(31, 7).toString('base64'), Buffer.alloc(33, 7).toString('base64'), Buffer.alloc(32, 7).toString('hex'), 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=']) {
      await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'wireguard', publicKey }, 'publicKey');
    }
    await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'wireguard' }, 'publicKey');
    await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'wireguard', publicKey: makeWireguardKeys().publicKey, csr: 'x' }, 'csr');
    await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'ipsec', publicKey: makeWireguardKeys().publicKey }, 'type');
    // A private key sent by mistake is refused like any other field Lanterne has no place for.
    await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'wireguard', publicKey: makeWireguardKeys().publicKey, privateKey: makeWireguardKeys().privateKey }, '');
  });

  it('an-ended-or-unknown-subscription-gets-no-peer', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    expect((await register(sub, { type: 'wireguard', publicKey: makeWireguardKeys().publicKey })).status).toBe(409);
    expect((await register(sub, { type: 'openvpn', csr: (await makeCsr()).csrPem })).status).toBe(409);
    expect((await register('00000000-0000-4000-8000-000000000000', { type: 'wireguard', publicKey: makeWireguardKeys().publicKey })).status).toBe(404);
    expect((await app.http.get(peer('00000000-0000-4000-8000-000000000000')).set(bearer(tech))).status).toBe(404);
  });

  it('removing-the-peer-forgets-it', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await register(sub, { type: 'wireguard', publicKey: makeWireguardKeys().publicKey }).expect(200);
    const removed = await app.http.delete(peer(sub)).set(bearer(tech));
    expect(removed.status).toBe(204);
    expect((await app.http.get(peer(sub)).set(bearer(tech))).status).toBe(404);
    expect((await app.http.delete(peer(sub)).set(bearer(tech))).status).toBe(404);
  });
});

describe('an OpenVPN peer', () => {
  it('signs-the-cpe-request-as-a-client-certificate-for-the-subscription', async () => {
    const sub = await makeActiveSubscription(app, tech);
    const { csrPem, privateKeyPem } = await makeCsr({ subject: 'CN=Jane Doe' });
    const r = await register(sub, { type: 'openvpn', csr: csrPem });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ subscriptionId: sub, type: 'openvpn', publicKey: null, certificateNotAfter: new Date(app.clock.now().getTime() + 365 * 86_400_000).toISOString() });
    const certificate = new X509Certificate(r.body.certificate);
    const ca = new X509Certificate(caPem);
    expect(certificate.subject).toBe(`CN=${sub}`);
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.checkIssued(ca)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.serialNumber.toLowerCase()).toBe(r.body.certificateSerial);
    const [row] = await app.sql<{ certificate: string }>(`SELECT certificate FROM tunnel_peers WHERE subscription_id = $1`, [sub]);
    expect(row.certificate).toBe(r.body.certificate);
    expect(JSON.stringify(await app.sql(`SELECT * FROM tunnel_peers WHERE subscription_id = $1`, [sub]))).not.toContain('PRIVATE KEY');
  });

  it('refuses-a-request-that-is-not-one-or-whose-signature-fails-naming-csr', async () => {
    const sub = await makeActiveSubscription(app, tech);
    const { csrPem } = await makeCsr();
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 3] ^= 0x40;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    for (const csr of [tampered, 'hello', caPem, '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----']) {
      await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'openvpn', csr }, 'csr');
    }
    await expectBadInput(app, tech, TABLES, 'put', peer(sub), { type: 'openvpn' }, 'csr');
  });
});
