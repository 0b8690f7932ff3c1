import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedLeaves } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesFrom, formToken, HTML } from '../support/web-session';

let app: TestApp;
let dir: string;
let tech: string;
let session: Session;

/** A browser's cookies and the form token of the last page it read. */
interface Session {
  jar: Record<string, string>;
  csrf: string;
}

/** Signs in with a bearer token as the sign-in page does, keeping the cookies. */
async function signIn(token: string): Promise<Session> {
  const page = await app.http.get('/sign-in').set(HTML);
  const jar = cookiesFrom(page);
  const signedIn = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: formToken(page.text), token });
  expect(signedIn.status).toBe(303);
  return { jar: cookiesFrom(signedIn, jar), csrf: formToken(page.text) };
}

const get = (path: string, as: Session = session) => app.http.get(path).set({ ...HTML, cookie: cookieHeader(as.jar) });
const post = (path: string, fields: Record<string, string>, as: Session = session) =>
  app.http.post(path).set({ ...HTML, cookie: cookieHeader(as.jar) }).type('form').send({ _csrf: as.csrf, ...fields });

/** Text of a page without its markup, spaces collapsed: what a reader sees. */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

async function subscriber(displayName: string, email: string): Promise<{ id: string; memberNumber: number }> {
  return (await app.http.post('/api/v1/subscribers').set(bearer(tech)).send({ displayName, email }).expect(201)).body;
}
async function subscription(subscriberId: string): Promise<string> {
  return (await app.http.post('/api/v1/subscriptions').set(bearer(tech)).send({ subscriberId, service: 'vpn' }).expect(201)).body.id;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-tech-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  session = await signIn(tech);
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

it('a-technician-searches-members-by-name-or-number-and-status', async () => {
  const alix = await subscriber('Alix Searchable', 'alix@example.org');
  await subscriber('Bertrand Other', 'bertrand@example.org');
  const byName = await get('/tech?q=searchable');
  expect(byName.status).toBe(200);
  expect(byName.text).toContain('Alix Searchable');
  expect(byName.text).toContain(`>${alix.memberNumber}</a>`);
  expect(byName.text).not.toContain('Bertrand Other');
  expect(visible(byName.text)).toContain('Members found: 1');
  const byNumber = await get(`/tech?q=${alix.memberNumber}&status=`);
  expect(byNumber.text).toContain('Alix Searchable');
  const byStatus = await get('/tech?q=&status=active');
  expect(visible(byStatus.text)).toContain('Members found: 0');
  expect((await get('/tech?status=gone')).status).toBe(400);
});

it('a-member-registered-with-the-form-opens-on-their-page', async () => {
  const page = await get('/tech');
  const registered = await post('/tech/subscribers', { displayName: 'Camille Formee', email: 'Camille@Example.org', language: 'fr' }, { ...session, csrf: formToken(page.text) });
  expect(registered.status).toBe(303);
  const id = /^\/tech\/subscribers\/([0-9a-f-]{36})$/.exec(registered.headers.location)?.[1] as string;
  const api = await app.http.get(`/api/v1/subscribers/${id}`).set(bearer(tech)).expect(200);
  expect(api.body).toMatchObject({ displayName: 'Camille Formee', email: 'camille@example.org', status: 'pending' });
  const shown = await get(registered.headers.location);
  expect(shown.text).toContain(`Member ${api.body.memberNumber}`);
  const refused = await post('/tech/subscribers', { displayName: 'No Mail', email: 'not-an-address' });
  expect(refused.status).toBe(400);
  expect(refused.text).toContain('email');
});

it('the-subscriber-page-shows-operational-data-and-never-the-identity', async () => {
  const member = await subscriber('Dominique Visible', 'dominique@example.org');
  const subscriptionId = await subscription(member.id);
  await app.http.post(`/api/v1/subscribers/${member.id}/verifications`).set(bearer(tech))
    .send({ method: 'postal', legalName: 'Marguerite Sealedname', address: { line1: 'Rue Cachée 77', postalCode: '4321', city: 'Hiddenville', country: 'BE' } })
    .expect(201);
  await app.http.post(`/api/v1/subscribers/${member.id}/verifications`).set(bearer(tech)).send({ method: 'sms', phone: '+32 470 12 34 56', legalName: 'Marguerite Sealedname' }).expect(201);
  const page = await get(`/tech/subscribers/${member.id}`);
  expect(page.status).toBe(200);
  const text = visible(page.text);
  expect(text).toContain(`Member ${member.memberNumber}`);
  expect(text).toContain('Dominique Visible');
  expect(text).toContain('dominique@example.org');
  expect(text).toContain('vpn · active');
  expect(page.text).toContain(`/tech/subscriptions/${subscriptionId}/tunnel`);
  expect(text).toMatch(/SMS pending [^]*letter pending|letter pending [^]*SMS pending/);
  for (const identity of ['Sealedname', 'Cachée', 'Hiddenville', '+32470123456', '470 12 34 56']) expect(page.text).not.toContain(identity);
  expect(text).not.toMatch(/\b4321\b/);
  const [letter] = await app.sql<{ id: string }>(`SELECT id FROM verifications WHERE subscriber_id = $1 AND method = 'postal'`, [member.id]);
  expect(page.text).toContain(`/tech/verifications/${letter.id}/letter.pdf`);
  expect((await get('/tech/subscribers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  expect((await get('/tech/subscribers/not-an-id')).status).toBe(400);
});

it('the-tunnel-form-shows-the-layer-arithmetic-stores-it-and-shows-a-refusal-on-the-form', async () => {
  const member = await subscriber('Emile Tunnel', 'emile@example.org');
  const subscriptionId = await subscription(member.id);
  const wireguard = { underlayMtu: '1500', layer1: 'ipv6', layer2: 'udp', layer3: 'wireguard', layer4: '', 'carry-ipv4': 'on', 'carry-ipv6': 'on' };

  const computed = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { ...wireguard, intent: 'compute' });
  expect(computed.status).toBe(200);
  const text = visible(computed.text);
  expect(text).toContain('Computed, not stored');
  expect(text).toMatch(/ipv6 40 udp 8 wireguard 32 Overhead \(sum\) 80/);
  expect(text).toContain('1500 − 80 = 1420');
  expect(text).toContain('1420 − 40 = 1380');
  expect(text).toContain('1420 − 60 = 1360');
  expect(computed.text).toMatch(/<option value="wireguard" selected>/);
  await app.http.get(`/api/v1/subscriptions/${subscriptionId}/tunnel`).set(bearer(tech)).expect(404);

  const stored = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { ...wireguard, intent: 'store' });
  expect(stored.status).toBe(303);
  expect(stored.headers.location).toBe(`/tech/subscribers/${member.id}`);
  expect((await app.http.get(`/api/v1/subscriptions/${subscriptionId}/tunnel`).set(bearer(tech)).expect(200)).body).toMatchObject({ innerMtu: 1420, overhead: 80, mssIpv4: 1380, mssIpv6: 1360 });
  const page = visible((await get(`/tech/subscribers/${member.id}`)).text);
  expect(page).toContain('Layer arithmetic (stored)');
  expect(page).toContain('1500 − 80 = 1420');

  const warned = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { underlayMtu: '1500', layer1: 'wireguard', 'carry-ipv4': 'on', intent: 'compute' });
  expect(visible(warned.text)).toContain('layer 1 (wireguard) runs over UDP: expected udp directly before it');

  for (const intent of ['compute', 'store']) {
    const tooSmall = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { ...wireguard, underlayMtu: '1300', intent });
    expect(tooSmall.status).toBe(422);
    expect(tooSmall.text).toContain('inner MTU 1220 (underlay 1300 − overhead 80) is below the ipv6 minimum of 1280');
    expect(tooSmall.text).toMatch(/id="underlay-[^"]+" name="underlayMtu"[^>]*value="1300"/);
  }
  expect((await app.http.get(`/api/v1/subscriptions/${subscriptionId}/tunnel`).set(bearer(tech))).body.innerMtu).toBe(1420);

  const unknownLayer = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { ...wireguard, layer4: 'carrier-pigeon', intent: 'compute' });
  expect(unknownLayer.status).toBe(400);
  const noFamily = await post(`/tech/subscriptions/${subscriptionId}/tunnel`, { underlayMtu: '1500', layer1: 'ipv4', intent: 'compute' });
  expect(noFamily.status).toBe(400);
  expect(noFamily.text).toContain('carries');
});

it('a-technician-assigns-an-address-from-a-pool-and-releases-it', async () => {
  const member = await subscriber('Fanny Address', 'fanny@example.org');
  const subscriptionId = await subscription(member.id);
  const pool = (await app.http.post('/api/v1/ip-pools').set(bearer(tech)).send({ name: 'web-v4', prefix: '198.51.100.0/28', assignLength: 32 }).expect(201)).body;
  const before = await get(`/tech/subscribers/${member.id}`);
  expect(before.text).toContain(`<option value="${pool.id}">web-v4 (198.51.100.0/28, /32, 14 free)</option>`);

  const lowest = await post(`/tech/subscriptions/${subscriptionId}/ip-assignments`, { poolId: pool.id, prefix: '' });
  expect(lowest.status).toBe(303);
  const wanted = await post(`/tech/subscriptions/${subscriptionId}/ip-assignments`, { poolId: pool.id, prefix: '198.51.100.9' });
  expect(wanted.status).toBe(303);
  const held: { id: string; prefix: string }[] = (await app.http.get(`/api/v1/subscriptions/${subscriptionId}/ip-assignments`).set(bearer(tech)).expect(200)).body.items;
  held.sort((a, b) => a.prefix.localeCompare(b.prefix));
  expect(held.map((a) => a.prefix)).toEqual(['198.51.100.1/32', '198.51.100.9/32']);
  const page = await get(`/tech/subscribers/${member.id}`);
  expect(page.text).toContain('<code>198.51.100.1/32</code>');
  expect(page.text).toContain(`/tech/ip-assignments/${held[0].id}/release`);

  const taken = await post(`/tech/subscriptions/${subscriptionId}/ip-assignments`, { poolId: pool.id, prefix: '198.51.100.9' });
  expect(taken.status).toBe(409);
  expect(taken.text).toContain('198.51.100.9/32 is assigned from');

  const released = await post(`/tech/ip-assignments/${held[0].id}/release`, {});
  expect(released.status).toBe(303);
  expect(released.headers.location).toBe(`/tech/subscribers/${member.id}`);
  const after = (await app.http.get(`/api/v1/subscriptions/${subscriptionId}/ip-assignments`).set(bearer(tech))).body.items;
  expect(after.map((a: { prefix: string }) => a.prefix)).toEqual(['198.51.100.9/32']);
  expect((await get(`/tech/subscribers/${member.id}`)).text).not.toContain('198.51.100.1/32');
});

it('a-subscription-added-with-the-form-and-a-postal-verification-started-print-as-a-ledgered-pdf', async () => {
  const member = await subscriber('Gaston Letter', 'gaston@example.org');
  const added = await post(`/tech/subscribers/${member.id}/subscriptions`, { service: 'fiber' });
  expect(added.status).toBe(303);
  expect(visible((await get(`/tech/subscribers/${member.id}`)).text)).toContain('fiber · active');

  const started = await post(`/tech/subscribers/${member.id}/verifications`, {
    method: 'postal', legalName: 'Gaston Lettré', line1: 'Avenue des Lettres 3', line2: '', postalCode: '1050', city: 'Ixelles', country: 'BE',
  });
  expect(started.status).toBe(303);
  const badPhone = await post(`/tech/subscribers/${member.id}/verifications`, { method: 'sms', phone: '12', legalName: '' });
  expect(badPhone.status).toBe(400);
  expect(badPhone.text).toContain('phone');
  const [letter] = await app.sql<{ id: string }>(`SELECT id FROM verifications WHERE subscriber_id = $1`, [member.id]);
  const page = await get(`/tech/subscribers/${member.id}`);
  expect(page.text).not.toContain('Lettres');
  expect(page.text).toContain(`/tech/verifications/${letter.id}/letter.pdf`);

  const pdf = await get(`/tech/verifications/${letter.id}/letter.pdf`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(pdf.status).toBe(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  const printed = (await storedLeaves(app)).filter((leaf) => leaf.action === 'verification.letter-printed' && leaf.refs.verification === letter.id);
  expect(printed).toHaveLength(1);

  const letters = visible((await get('/tech/letters')).text);
  expect(letters).toMatch(/Started today [1-9]/);
  expect(letters).toMatch(/Pending in all [1-9]/);
  const all = await get('/tech/letters.pdf');
  expect(all.status).toBe(200);
  expect(all.headers['content-type']).toBe('application/pdf');
  const sms = (await app.http.post(`/api/v1/subscribers/${member.id}/verifications`).set(bearer(tech)).send({ method: 'sms', phone: '+32470123456' }).expect(201)).body;
  expect((await get(`/tech/verifications/${sms.id}/letter.pdf`)).status).toBe(409);
});

it('devices-to-collect-are-listed-and-taken-back-with-the-return-button', async () => {
  const member = await subscriber('Hugo Device', 'hugo@example.org');
  const subscriptionId = await subscription(member.id);
  const cpe = (await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'Turris Omnia', serial: 'WEB-CPE-1', macAddresses: ['AA-BB-CC-00-11-22'] }).expect(201)).body;
  await app.http.post(`/api/v1/cpe/${cpe.id}/assign`).set(bearer(tech)).send({ subscriptionId }).expect(200);
  const lent = visible((await get(`/tech/subscribers/${member.id}`)).text);
  expect(lent).toContain('Turris Omnia WEB-CPE-1 aa:bb:cc:00:11:22');

  await app.http.post(`/api/v1/subscriptions/${subscriptionId}/end`).set(bearer(tech)).send({}).expect(200);
  const list = await get('/tech/cpe');
  expect(list.status).toBe(200);
  expect(visible(list.text)).toMatch(/Devices to collect: 1 .*WEB-CPE-1/);
  const inventoryOf = async (query: string) => visible((await get(`/tech/cpe${query}`)).text).split('Inventory').slice(1).join('Inventory');
  expect(await inventoryOf('?status=in_stock')).not.toContain('WEB-CPE-1');
  expect(await inventoryOf('?status=assigned')).toContain('WEB-CPE-1 aa:bb:cc:00:11:22 lent · to collect');

  const returned = await post(`/tech/cpe/${cpe.id}/return`, { condition: 'ok' });
  expect(returned.status).toBe(303);
  expect(returned.headers.location).toBe('/tech/cpe');
  expect((await app.http.get(`/api/v1/cpe/${cpe.id}`).set(bearer(tech))).body).toMatchObject({ status: 'in_stock', subscriptionId: null });
  expect(visible((await get('/tech/cpe')).text)).toContain('Nothing to collect.');
  expect((await post(`/tech/cpe/${cpe.id}/return`, { condition: 'ok' })).status).toBe(409);
});

it('a-form-posted-without-its-token-is-refused-and-changes-nothing', async () => {
  const member = await subscriber('Ines Forged', 'ines@example.org');
  const forged = await app.http.post(`/tech/subscribers/${member.id}/subscriptions`).set({ ...HTML, cookie: cookieHeader(session.jar) }).type('form').send({ service: 'vpn' });
  expect(forged.status).toBe(403);
  expect(forged.text).toContain('did not come from Lanterne');
  const otherVisitor = await app.http.get('/sign-in').set(HTML);
  const crossed = await post(`/tech/subscribers/${member.id}/subscriptions`, { service: 'vpn' }, { ...session, csrf: formToken(otherVisitor.text) });
  expect(crossed.status).toBe(403);
  expect((await app.http.get(`/api/v1/subscriptions?subscriberId=${member.id}`).set(bearer(tech))).body.total).toBe(0);
});

it('members-and-the-ccj-are-refused-admins-are-admitted-but-print-no-letters-and-signed-out-visitors-sign-in', async () => {
  const member = await subscriber('Jules Member', 'jules@example.org');
  const memberToken = (await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Jules', roles: ['member'], subscriberId: member.id }).expect(201)).body.token;
  for (const token of [memberToken, await app.tokenFor('ccj')]) {
    const other = await signIn(token);
    for (const path of ['/tech', `/tech/subscribers/${member.id}`, '/tech/cpe', '/tech/letters']) {
      const refused = await get(path, other);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toContain('text/html');
    }
    expect((await post(`/tech/subscribers/${member.id}/subscriptions`, { service: 'vpn' }, other)).status).toBe(403);
  }
  const admin = await signIn(app.adminToken);
  expect((await get(`/tech/subscribers/${member.id}`, admin)).status).toBe(200);
  expect((await get('/tech/letters', admin)).status).toBe(403);

  for (const path of ['/tech', `/tech/subscribers/${member.id}`, '/tech/cpe', '/tech/letters']) {
    const signedOut = await app.http.get(path).set(HTML);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
  }
});
