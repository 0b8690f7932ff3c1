import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { findOrFail } from '../common/find-or-fail';
import { Page, Pagination } from '../common/pagination';
import { LedgerService } from '../ledger/ledger.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { Account } from './account.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AccountView, CreateAccountInput, CreatedAccount } from './auth.schemas';
import { hashBearerToken, newBearerToken } from './bearer-token';
import { privilegeChanges } from './privileges';
import { PrivilegesService } from './privileges.service';
import { Actor, Role, SYSTEM_ACTOR } from '../common/access';

const AUTHENTICATE_SQL = 'SELECT id, name, roles, subscriber_id FROM accounts WHERE token_hash = $1 AND revoked_at IS NULL';

interface AuthenticatedRow {
  id: string;
  name: string;
  roles: Role[];
  subscriber_id: string | null;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscribers: SubscribersService,
    private readonly ledger: LedgerService,
    private readonly privileges: PrivilegesService,
  ) {}

  /**
   * Creates an account and returns its bearer token, which exists nowhere else afterwards. The ledger
   * records it, in the same transaction, as created by `actor`. An account with admin or ccj is
   * refused (403) outside the bootstrap: it is created as an observer (or without the role) and the
   * board grants the role by a proposal.
   */
  async createAccount(input: CreateAccountInput, actor: Actor): Promise<CreatedAccount> {
    const token = newBearerToken();
    return this.dataSource.transaction(async (em) => {
      const granted = privilegeChanges([], input.roles).granted;
      if (granted.length > 0) await this.privileges.assertMayChangeDirectly(em, actor, `Creating an account with ${granted.join(' and ')}`);
      if (input.subscriberId && !(await this.subscribers.exists(em, input.subscriberId))) {
        throw new AuthError(AuthErrorCode.SubscriberNotFound, `No subscriber ${input.subscriberId}.`);
      }
      const account = await em.getRepository(Account).save({
        name: input.name,
        roles: input.roles,
        subscriberId: input.subscriberId ?? null,
        email: input.email ?? null,
        language: input.language ?? null,
        tokenHash: hashBearerToken(token),
      });
      // The first admin of an instance made from the command line is its bootstrap admin.
      if (input.roles.includes('admin')) await this.privileges.claimBootstrap(em, account.id);
      await this.recordCreation(em, account, actor);
      return { id: account.id, token };
    });
  }

  /**
   * The account behind a token, as an actor still to be given the role it acts under on the route.
   * Every request runs it, so it is one plain query rather than a built one (the query builder cost
   * more than the index probe).
   */
  async authenticate(token: string): Promise<Omit<Actor, 'role'> | null> {
    const [row]: AuthenticatedRow[] = await this.dataSource.query(AUTHENTICATE_SQL, [hashBearerToken(token)]);
    return row ? { id: row.id, name: row.name, roles: row.roles, subscriberId: row.subscriber_id } : null;
  }

  private async hasAnyAccount(em: EntityManager): Promise<boolean> {
    return (await em.getRepository(Account).count({ take: 1 })) > 0;
  }

  /**
   * Creates the first admin when the instance has no account at all, and makes it the bootstrap admin
   * (who alone may grant admin and ccj until the first board decision); returns its token, or null.
   */
  async createFirstAdmin(name: string, token?: string): Promise<string | null> {
    return this.dataSource.transaction(async (em) => {
      // Serialises concurrent starts of several processes on one database.
      await em.query('LOCK TABLE accounts IN EXCLUSIVE MODE');
      if (await this.hasAnyAccount(em)) return null;
      const bearer = token ?? newBearerToken();
      const account = await em.getRepository(Account).save({ name, roles: ['admin'], subscriberId: null, email: null, language: null, tokenHash: hashBearerToken(bearer) });
      await this.privileges.claimBootstrap(em, account.id);
      await this.recordCreation(em, account, SYSTEM_ACTOR);
      return bearer;
    });
  }

  /**
   * One entry covers the account and the bearer token issued with it. A member account concerns its
   * subscriber, who will see it; the holder's name is personal, so only its commitment is in the leaf.
   */
  private async recordCreation(em: EntityManager, account: Pick<Account, 'id' | 'name' | 'roles' | 'subscriberId'>, actor: Actor): Promise<void> {
    await this.ledger.record(em, {
      actor,
      action: 'account.created',
      subject: account.subscriberId ?? undefined,
      refs: { accountId: account.id, roles: account.roles },
      personal: { name: account.name },
    });
  }

  async listAccounts(page: Pagination): Promise<Page<AccountView>> {
    const [accounts, total] = await this.dataSource
      .getRepository(Account)
      .findAndCount({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
    return { items: accounts.map(toAccountView), total, ...page };
  }

  async getAccount(id: string): Promise<AccountView> {
    const account = await findOrFail(this.dataSource.manager, Account, id, () => new AuthError(AuthErrorCode.AccountNotFound, `No account ${id}.`));
    return toAccountView(account);
  }
}

export function toAccountView(account: Pick<Account, 'id' | 'name' | 'roles' | 'subscriberId'>): AccountView {
  return {
    id: account.id,
    name: account.name,
    roles: account.roles,
    ...(account.subscriberId ? { subscriberId: account.subscriberId } : {}),
  };
}
