import { Actor } from '../../src/common/access';
import { IdentityService } from '../../src/identity/identity.service';
import { LedgerService } from '../../src/ledger/ledger.service';
import { LegalRequestSubjects } from '../../src/legal-requests/legal-request-subjects';
import { assign } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { dataSourceOf } from '../support/ledger';
import { bearer, TestApp } from '../support/test-app';

const V = '/api/v1';

export interface MemberFixture {
  subscriberId: string;
  email: string;
  memberNumber: number;
  accountId: string;
  token: string;
  subscriptionId: string;
  assignmentId: string;
  address: string;
}

/** A member with a subscription, an address of `poolId` and a member account, made the same way every time. */
export async function makeMember(app: TestApp, tech: string, poolId: string): Promise<MemberFixture> {
  const subscriber = await makeSubscriber(app, tech);
  const subscriptionId = (await makeSubscription(app, tech, subscriber.id)).id;
  const held = await assign(app, tech, subscriptionId, { poolId });
  if (held.status !== 201) throw new Error(`assign: ${held.status} ${held.text}`);
  const account = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId: subscriber.id });
  if (account.status !== 201) throw new Error(`member account: ${account.status} ${account.text}`);
  return {
    subscriberId: subscriber.id,
    email: subscriber.email,
    memberNumber: subscriber.memberNumber,
    accountId: account.body.id,
    token: account.body.token,
    subscriptionId,
    assignmentId: held.body.id,
    address: (held.body.prefix as string).replace(/\/\d+$/, ''),
  };
}

export async function receiveRequest(app: TestApp, ccj: string, overrides: Record<string, unknown>): Promise<string> {
  const r = await app.http
    .post(`${V}/legal-requests`)
    .set(bearer(ccj))
    .send({
      authority: 'Juge d’instruction de Liège',
      reference: 'LG.77.XY.2026/9',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: '2026-05-20T10:00:00Z',
      selectors: [{ address: '192.0.2.200', at: '2026-05-10T21:00:00Z' }],
      ...overrides,
    });
  if (r.status !== 201) throw new Error(`receive: ${r.status} ${r.text}`);
  return r.body.id;
}

export async function ccjActor(app: TestApp, ccj: string): Promise<Actor> {
  const me = await app.http.get(`${V}/me`).set(bearer(ccj));
  return { id: me.body.id, name: me.body.name, roles: ['ccj'], role: 'ccj', subscriberId: null };
}

/**
 * What a disclosure does about one holder, in one transaction, as the disclosure code will: the IP
 * history lookup and the identity read (each recorded by its own context, with the member as subject),
 * the subject recorded, then the disclosure's entry. Answers the indexes of the three entries.
 */
export async function discloseAbout(app: TestApp, actor: Actor, requestId: string, member: MemberFixture, selector = 0): Promise<number[]> {
  const ledger = app.lanterne.app.get(LedgerService);
  const purpose = `legal request ${requestId} (identification), under Code d'instruction criminelle, art. 46bis`;
  return dataSourceOf(app).transaction(async (em) => {
    const lookedUp = await ledger.record(em, {
      actor,
      action: 'ip-history.looked-up',
      subject: member.subscriberId,
      purpose,
      purposeCategory: 'legal-request',
      personal: { address: member.address },
      refs: { at: '2026-05-10T21:00:00.000Z', assignments: [member.assignmentId] },
    });
    await app.lanterne.app.get(IdentityService).readFor(purpose, member.subscriberId, actor, { purposeCategory: 'legal-request', em });
    await app.lanterne.app.get(LegalRequestSubjects).recordSubject(em, requestId, member.subscriberId, { selector, disclosed: ['memberNumber', 'legalName', 'verifiedContact'] });
    const disclosed = await ledger.record(em, {
      actor,
      action: 'identity.disclosed',
      subject: member.subscriberId,
      purposeCategory: 'legal-request',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      refs: { requestId, selector },
    });
    return [lookedUp, lookedUp + 1, disclosed];
  });
}
