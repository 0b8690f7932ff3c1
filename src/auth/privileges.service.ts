import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Actor, PrivilegedRole, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { findOrFail } from '../common/find-or-fail';
import { NamedRegistry } from '../common/named-registry';
import { LedgerService } from '../ledger/ledger.service';
import { Account } from './account.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { BootstrapState, holdsPrivilegedRole, mayChangePrivilegesDirectly, rolesAfter } from './privileges';
import { claimBootstrap, endBootstrap, lockAndCountOtherAdmins, readBootstrap } from './privileges.store';

/** Privileges held outside the roles, each checked by the context that holds it. */
export const PRIVILEGE_HOLDINGS = [
  /** consensus: a seat in the board circle, which decides privileges. */
  'board-seat',
] as const;
export type PrivilegeHolding = (typeof PRIVILEGE_HOLDINGS)[number];
export type HoldingCheck = (em: EntityManager, accountId: string) => Promise<boolean>;

export interface AdoptedPrivilegeChange {
  accountId: string;
  role: PrivilegedRole;
  change: 'grant' | 'revoke';
  proposalId: string;
}

/**
 * The rule that no single account escalates another or itself (see privileges.ts), the bootstrap
 * it excepts, and the execution of what the board adopted. Accounts and the consensus context ask
 * it before every direct change of a privilege.
 */
@Injectable()
export class PrivilegesService implements OnApplicationBootstrap {
  readonly holdings = new NamedRegistry<PrivilegeHolding, HoldingCheck>('Privilege holding check', PRIVILEGE_HOLDINGS);

  constructor(
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.holdings.assertComplete();
  }

  bootstrap(em: EntityManager): Promise<BootstrapState> {
    return readBootstrap(em);
  }

  /** 403 unless the actor may change a privilege without a board decision (`what` says which). */
  async assertMayChangeDirectly(em: EntityManager, actor: Actor, what: string): Promise<void> {
    const bootstrap = await readBootstrap(em, true);
    if (mayChangePrivilegesDirectly(actor.id, bootstrap)) return;
    const since = bootstrap.endedAt ? `the bootstrap of this instance ended at ${bootstrap.endedAt.toISOString()}` : 'only the bootstrap admin may, until the first board decision';
    throw new AuthError(
      AuthErrorCode.PrivilegeNeedsConsensus,
      `${what} needs an adopted board proposal (${since}): open one with POST /privilege-proposals; a new admin starts as an observer until then.`,
    );
  }

  /** Whether the account holds a privilege: a privileged role, or a holding another context checks. */
  async isPrivileged(em: EntityManager, account: Pick<Account, 'id' | 'roles'>): Promise<boolean> {
    if (holdsPrivilegedRole(account.roles)) return true;
    for (const { handler } of this.holdings.inOrder()) if (await handler(em, account.id)) return true;
    return false;
  }

  /** Another account's token or revocation touches its privileges: the same rule applies. */
  async assertMayTouch(em: EntityManager, account: Pick<Account, 'id' | 'roles'>, actor: Actor, what: string): Promise<void> {
    if (account.id !== actor.id && (await this.isPrivileged(em, account))) await this.assertMayChangeDirectly(em, actor, what);
  }

  async claimBootstrap(em: EntityManager, accountId: string): Promise<void> {
    await claimBootstrap(em, accountId, this.clock.now());
  }

  /** The first adopted board proposal ends the bootstrap, recorded in its closing transaction. */
  async endBootstrap(em: EntityManager, proposalId: string, at: Date): Promise<void> {
    if (await endBootstrap(em, proposalId, at)) {
      await this.ledger.record(em, { actor: SYSTEM_ACTOR, action: 'governance.bootstrap-ended', refs: { proposalId } });
    }
  }

  /**
   * Executes an adopted grant or removal of a role, in the proposal's closing transaction, as the
   * system. What can no longer be done (the account was revoked meanwhile, the last admin would go)
   * is answered as the reason it was not applied, for the caller to record, rather than failing the
   * close. An account left without any role is revoked.
   */
  async applyAdopted(em: EntityManager, change: AdoptedPrivilegeChange): Promise<'account-revoked' | 'last-admin' | null> {
    const account = await findOrFail(em, Account, change.accountId, () => new AuthError(AuthErrorCode.AccountNotFound, `No account ${change.accountId}.`), 'pessimistic_write');
    if (account.revokedAt) return 'account-revoked';
    if (change.role === 'admin' && change.change === 'revoke' && (await lockAndCountOtherAdmins(em, account.id)) === 0) return 'last-admin';
    const from = account.roles;
    const to = rolesAfter(from, change.role, change.change);
    if (to.length === 0) account.revokedAt = this.clock.now();
    else account.roles = to;
    await em.getRepository(Account).save(account);
    await this.ledger.record(em, {
      actor: SYSTEM_ACTOR,
      action: 'account.privilege-changed',
      subject: account.subscriberId ?? undefined,
      refs: { accountId: account.id, role: change.role, change: change.change, proposalId: change.proposalId, from, to, revoked: to.length === 0 },
    });
    return null;
  }
}
