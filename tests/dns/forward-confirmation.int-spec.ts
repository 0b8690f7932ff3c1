import { createSocket, Socket } from 'node:dgram';
import { AddressInfo } from 'node:net';
import { addressToPrefix } from '../../src/ipam/cidr';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** A name server answering A and AAAA queries from a table, NXDOMAIN otherwise: enough for a resolver to ask. */
class StubNameServer {
  private readonly socket: Socket = createSocket('udp4');
  readonly records = new Map<string, string[]>();

  async listen(): Promise<string> {
    this.socket.on('message', (query, peer) => this.socket.send(this.answer(query), peer.port, peer.address));
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.socket.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer {
    const labels: string[] = [];
    let offset = 12;
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('ascii'));
      offset += query[offset] + 1;
    }
    const question = query.subarray(12, offset + 5);
    const type = query.readUInt16BE(offset + 1);
    const family = type === 1 ? 4 : type === 28 ? 6 : 0;
    const known = this.records.get(labels.join('.').toLowerCase());
    const addresses = (known ?? []).map((text) => addressToPrefix(text)).filter((p) => p.ok && (p.prefix.family === 'ipv4' ? 4 : 6) === family);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(known ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((parsed) => {
      if (!parsed.ok) throw new Error('filtered');
      const bytes = family === 4 ? 4 : 16;
      const rdata = Buffer.from(parsed.prefix.network.toString(16).padStart(bytes * 2, '0'), 'hex');
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0);
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(bytes, 10);
      return Buffer.concat([record, rdata]);
    });
    return Buffer.concat([header, question, ...answers]);
  }
}

let app: TestApp;
let tech: string;
let dns: StubNameServer;

beforeAll(async () => {
  dns = new StubNameServer();
  const server = await dns.listen();
  app = await createTestApp({ LANTERNE_DNS_FORWARD_CHECK: 'on', LANTERNE_DNS_RESOLVERS: server });
  tech = await app.tokenFor('technician');
});
afterAll(async () => {
  await app.close();
  await dns.close();
});

async function held(prefix: string, length: number): Promise<{ subscriptionId: string; prefix: string }> {
  const pool = await makePool(app, tech, prefix, length);
  const subscriptionId = await makeActiveSubscription(app, tech);
  return { subscriptionId, prefix: (await assign(app, tech, subscriptionId, { poolId: pool.id })).body.prefix };
}

const setName = (subscriptionId: string, address: string, name: string) => app.http.put(`/api/v1/subscriptions/${subscriptionId}/reverse-dns`).set(bearer(tech)).send({ address, name });

describe('forward confirmation, reported and never enforced', () => {
  it('reports-whether-the-name-resolves-back-to-the-address-and-keeps-the-name-either-way', async () => {
    const v4 = await held('192.0.2.0/24', 32);
    const address = v4.prefix.replace('/32', '');
    dns.records.set('good.example.org', [address]);
    dns.records.set('elsewhere.example.org', ['198.51.100.7']);
    expect((await setName(v4.subscriptionId, address, 'good.example.org')).body).toMatchObject({ name: 'good.example.org', forwardConfirmed: true });
    expect((await setName(v4.subscriptionId, address, 'elsewhere.example.org')).body).toMatchObject({ name: 'elsewhere.example.org', forwardConfirmed: false });
    const unknown = await setName(v4.subscriptionId, address, 'nowhere.example.org');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ name: 'nowhere.example.org', forwardConfirmed: false });
    expect((await app.http.get(`/api/v1/subscriptions/${v4.subscriptionId}/reverse-dns`).set(bearer(tech))).body.items).toEqual([expect.objectContaining({ name: 'nowhere.example.org' })]);
  });

  it('asks-for-aaaa-records-of-an-ipv6-address', async () => {
    const v6 = await held('2001:db8::/48', 56);
    const address = v6.prefix.replace('::/56', '::5');
    dns.records.set('v6.example.org', ['192.0.2.200', address.toUpperCase()]);
    expect((await setName(v6.subscriptionId, address, 'v6.example.org')).body).toMatchObject({ forwardConfirmed: true });
  });
});
