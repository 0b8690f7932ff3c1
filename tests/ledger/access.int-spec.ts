import { commitPersonalValue } from '../../src/ledger/personal-commitment';
import { makeSubscriber } from '../factories/subscriber.factory';
import { storedLeaves, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let tokens: Record<string, string>;
let memberEntry: number;
let ccjId: string;

beforeAll(async () => {
  app = await createTestApp();
  tokens = { admin: app.adminToken, technician: await app.tokenFor('technician'), ccj: await app.tokenFor('ccj'), observer: await app.tokenFor('observer') };
  const subscriber = await makeSubscriber(app, tokens.technician);
  const member = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Alex Martin', roles: ['member'], subscriberId: subscriber.id });
  tokens.member = member.body.token;
  memberEntry = (await treeSize(app)) - 1;
  ccjId = (await app.http.get('/api/v1/me').set(bearer(tokens.ccj))).body.id;
});
afterAll(() => app.close());

describe('who may call the ledger routes', () => {
  const routes: [string, string[] | 'anyone'][] = [
    ['/ledger/checkpoint', 'anyone'],
    ['/ledger/proofs/inclusion?index=0&treeSize=1', 'anyone'],
    ['/ledger/proofs/consistency?first=1&second=2', 'anyone'],
    ['/ledger/entries?start=0&end=1', ['admin', 'ccj', 'observer']],
    ['/ledger/verify', ['admin', 'ccj', 'observer']],
    ['/ledger/entries/0/personal?purpose=auditing%20the%20first%20account', ['ccj']],
  ];

  for (const [path, allowed] of routes) {
    it(`GET ${path.split('?')[0]} is ${allowed === 'anyone' ? 'public' : `for ${allowed.join(', ')} only`}`, async () => {
      const anonymous = await app.http.get(`/api/v1${path}`);
      expect(anonymous.status).toBe(allowed === 'anyone' ? 200 : 401);
      for (const role of ['admin', 'technician', 'ccj', 'member', 'observer']) {
        const response = await app.http.get(`/api/v1${path}`).set(bearer(tokens[role]));
        expect([role, response.status]).toEqual([role, allowed === 'anyone' || allowed.includes(role) ? 200 : 403]);
      }
    });
  }

  it('documents-every-ledger-route-in-openapi-for-an-outside-verifier', async () => {
    const document = (await app.http.get('/api/v1/openapi.json')).body;
    for (const path of ['checkpoint', 'entries', 'proofs/inclusion', 'proofs/consistency', 'verify', 'entries/{index}/personal']) {
      expect(document.paths[`/api/v1/ledger/${path}`]?.get?.summary).toEqual(expect.any(String));
    }
  });
});

describe('personal values behind a commitment', () => {
  it('refuses-a-read-without-a-purpose-before-reading-or-recording-anything', async () => {
    const before = await treeSize(app);
    for (const query of ['', '?purpose=', '?purpose=%20%20%20']) {
      const response = await app.http.get(`/api/v1/ledger/entries/${memberEntry}/personal${query}`).set(bearer(tokens.ccj));
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['purpose']);
    }
    expect(await treeSize(app)).toBe(before);
  });

  it('shows-the-value-and-salt-that-open-the-commitment-and-records-who-looked-and-why', async () => {
    const response = await app.http.get(`/api/v1/ledger/entries/${memberEntry}/personal?purpose=checking%20the%20account%20holder`).set(bearer(tokens.ccj));
    expect(response.status).toBe(200);
    const [value] = response.body.values;
    expect(value).toMatchObject({ name: 'name', value: 'Alex Martin' });
    const leaves = await storedLeaves(app);
    expect(leaves[memberEntry].personal.name).toBe(value.commitment);
    expect(commitPersonalValue(Buffer.from(value.salt, 'hex'), value.value)).toBe(value.commitment);

    const read = leaves[leaves.length - 1];
    expect(read).toMatchObject({
      action: 'ledger.personal-values.read',
      actor: { id: ccjId, role: 'ccj' },
      subject: leaves[memberEntry].subject,
      purposeCategory: 'other',
      refs: { index: memberEntry },
      personal: { purpose: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(JSON.stringify(read)).not.toContain('checking the account holder');
  });

  it('an-unknown-entry-is-a-404-and-a-malformed-index-a-400', async () => {
    const query = '?purpose=looking%20for%20nothing';
    expect((await app.http.get(`/api/v1/ledger/entries/999999/personal${query}`).set(bearer(tokens.ccj))).status).toBe(404);
    expect((await app.http.get(`/api/v1/ledger/entries/-1/personal${query}`).set(bearer(tokens.ccj))).status).toBe(400);
    expect((await app.http.get(`/api/v1/ledger/entries/99999999999999999999/personal${query}`).set(bearer(tokens.ccj))).status).toBe(400);
  });
});
