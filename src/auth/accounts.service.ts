import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { findOrFail } from '../common/find-or-fail';
import { LedgerService } from '../ledger/ledger.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { Account } from './account.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AccountContact, AccountView, ChangeRolesInput, IssuedToken } from './auth.schemas';
import { toAccountView } from './auth.service';
import { hashBearerToken, newBearerToken } from './bearer-token';
import { Actor, Role } from '../common/access';
import { privilegeChanges } from './privileges';
import { PrivilegesService } from './privileges.service';
import { lockAndCountOtherAdmins } from './privileges.store';

/**
 * What an admin does to an existing account: change its roles, issue a new token, revoke it.
 * Each change is recorded in the ledger in its own transaction; the instance never loses its last admin.
 * A change of admin or ccj, and a token or revocation of another privileged account, is refused to a
 * single account (PrivilegesService): the board decides them.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscribers: SubscribersService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly privileges: PrivilegesService,
  ) {}

  async changeRoles(id: string, input: ChangeRolesInput, actor: Actor): Promise<AccountView> {
    return this.dataSource.transaction(async (em) => {
      const account = await this.lockActive(em, id);
      const { granted, removed } = privilegeChanges(account.roles, input.roles);
      const changed = [...granted, ...removed];
      if (changed.length > 0) await this.privileges.assertMayChangeDirectly(em, actor, `Granting or removing ${changed.join(' and ')}`);
      if (input.subscriberId && !(await this.subscribers.exists(em, input.subscriberId))) {
        throw new AuthError(AuthErrorCode.SubscriberNotFound, `No subscriber ${input.subscriberId}.`);
      }
      if (account.roles.includes('admin') && !input.roles.includes('admin')) await this.assertAnotherAdmin(em, account.id);
      const from = account.roles;
      account.roles = input.roles;
      account.subscriberId = input.subscriberId ?? null;
      await em.getRepository(Account).save(account);
      await this.ledger.record(em, {
        actor,
        action: 'account.roles-changed',
        subject: account.subscriberId ?? undefined,
        refs: { accountId: account.id, from, to: input.roles },
      });
      return toAccountView(account);
    });
  }

  /** A new bearer token for the account (a lost or leaked one); the previous token stops working at once. */
  async issueToken(id: string, actor: Actor): Promise<IssuedToken> {
    return this.dataSource.transaction(async (em) => {
      const account = await this.lockActive(em, id);
      await this.privileges.assertMayTouch(em, account, actor, "Issuing a token for another account's privileges");
      const token = newBearerToken();
      await em.getRepository(Account).update(account.id, { tokenHash: hashBearerToken(token) });
      await this.ledger.record(em, { actor, action: 'account.token-issued', subject: account.subscriberId ?? undefined, refs: { accountId: account.id } });
      return { token };
    });
  }

  async revoke(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const account = await this.lockActive(em, id);
      await this.privileges.assertMayTouch(em, account, actor, "Revoking another account's privileges");
      if (account.roles.includes('admin')) await this.assertAnotherAdmin(em, account.id);
      await em.getRepository(Account).update(account.id, { revokedAt: this.clock.now() });
      await this.ledger.record(em, { actor, action: 'account.revoked', subject: account.subscriberId ?? undefined, refs: { accountId: account.id } });
    });
  }

  async contact(accountId: string, em: EntityManager = this.dataSource.manager): Promise<AccountContact & { name: string; active: boolean }> {
    const account = await findOrFail(em, Account, accountId, () => new AuthError(AuthErrorCode.AccountNotFound, `No account ${accountId}.`));
    return { name: account.name, email: account.email, language: account.language, active: !account.revokedAt };
  }

  /** The holder sets where they are told; the address is theirs, so only the fact of a change is recorded. */
  async setContact(actor: Actor, input: AccountContact): Promise<AccountContact> {
    return this.dataSource.transaction(async (em) => {
      const account = await this.lockActive(em, actor.id as string);
      if (input.email !== null && account.roles.includes('member')) {
        throw new AuthError(AuthErrorCode.MemberHasNoEmail, "A member account has no e-mail of its own: the association writes to the subscriber's address.", {
          errors: [{ path: 'email', message: 'must be null on a member account' }],
        });
      }
      await em.getRepository(Account).update(account.id, { email: input.email, language: input.language });
      const changed = [...(account.email !== input.email ? ['email'] : []), ...(account.language !== input.language ? ['language'] : [])];
      if (changed.length > 0) await this.ledger.record(em, { actor, action: 'account.contact-changed', subject: account.subscriberId ?? undefined, refs: { accountId: account.id, changed } });
      return input;
    });
  }

  /** The active member accounts bound to these subscribers. */
  async memberAccountsOf(em: EntityManager, subscriberIds: string[]): Promise<{ id: string; subscriberId: string }[]> {
    if (subscriberIds.length === 0) return [];
    return em.query(
      `SELECT id, subscriber_id AS "subscriberId" FROM accounts WHERE subscriber_id = ANY ($1::uuid[]) AND 'member' = ANY (roles) AND revoked_at IS NULL`,
      [subscriberIds],
    );
  }

  /** An account that is not revoked, with whom it belongs to, or null. */
  async activeAccount(em: EntityManager, id: string): Promise<{ roles: Role[]; subscriberId: string | null } | null> {
    const account = await em.getRepository(Account).findOneBy({ id });
    return account && !account.revokedAt ? { roles: account.roles, subscriberId: account.subscriberId } : null;
  }

  /** The roles of an account that is not revoked, or null: other contexts check who may join them with it. */
  async activeRoles(em: EntityManager, id: string): Promise<Role[] | null> {
    const account = await em.getRepository(Account).findOneBy({ id });
    return account && !account.revokedAt ? account.roles : null;
  }

  private async lockActive(em: EntityManager, id: string): Promise<Account> {
    const account = await findOrFail(em, Account, id, () => new AuthError(AuthErrorCode.AccountNotFound, `No account ${id}.`), 'pessimistic_write');
    if (account.revokedAt) throw new AuthError(AuthErrorCode.AccountRevoked, `Account ${id} was revoked at ${account.revokedAt.toISOString()}.`);
    return account;
  }

  private async assertAnotherAdmin(em: EntityManager, leaving: string): Promise<void> {
    if ((await lockAndCountOtherAdmins(em, leaving)) === 0) throw new AuthError(AuthErrorCode.LastAdmin, 'This is the last active admin: give another account the admin role first.');
  }
}
