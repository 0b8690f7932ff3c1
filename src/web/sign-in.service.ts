import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsService } from '../auth/accounts.service';
import { AuthFailureLimiter } from '../auth/auth-failure-limiter';
import { AuthService } from '../auth/auth.service';
import { CommonError, CommonErrorCode } from '../common/common.errors';
import { SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { LedgerService } from '../ledger/ledger.service';
import { MessageRenderers } from '../outbox/message-renderers';
import { RenderedMessage } from '../outbox/outbox-message';
import { OutboxService } from '../outbox/outbox.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { linkIdOf, signInLinkKey, signInLinkToken } from './sign-in-link';
import { WebError, WebErrorCode } from './web.errors';
import { WebSessions } from './web-sessions.service';
import { findSignInLink, insertSignInLink, markSignInLinkUsed } from './web.store';

/** A sign-in link works once, for a quarter of an hour. */
export const SIGN_IN_LINK_MINUTES = 15;

const LINK_TEXT = {
  fr: (link: string) => `Bonjour,\n\nPour ouvrir votre espace membre, suivez ce lien dans les ${SIGN_IN_LINK_MINUTES} minutes :\n${link}\n\nIl ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : personne n'accède à vos données sans ce lien.`,
  en: (link: string) => `Hello,\n\nTo open your member area, follow this link within ${SIGN_IN_LINK_MINUTES} minutes:\n${link}\n\nIt works once. If you did not ask for it, ignore this message: nobody reaches your data without this link.`,
};

/**
 * How people open a page session: staff with their bearer token, exchanged once for a session; members
 * by a one-time link sent to the e-mail address the association holds for them.
 */
@Injectable()
export class SignIn {
  private readonly linkKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly limiter: AuthFailureLimiter,
    private readonly accounts: AccountsService,
    private readonly subscribers: SubscribersService,
    private readonly outbox: OutboxService,
    private readonly sessions: WebSessions,
    private readonly ledger: LedgerService,
    @Inject(KEY_MATERIAL) keys: KeyMaterial,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    renderers: MessageRenderers,
  ) {
    this.linkKey = signInLinkKey(keys.masterKey);
    renderers.register('sign-in-link', (ref) => this.renderLink(ref));
  }

  /**
   * A session for the token's account, or null for a token that is not valid. Failures count against
   * the client as the API's do (one count for both), so the form is no way around the limit.
   */
  async withToken(token: string, client: string): Promise<{ cookie: string; expiresAt: Date } | null> {
    const account = await this.auth.authenticate(token);
    if (!account) {
      const retryAfter = await this.limiter.recordFailure(client);
      if (retryAfter !== null) throw new CommonError(CommonErrorCode.TooManyAuthFailures, `Too many failed sign-ins; retry in ${retryAfter} s.`, { retryAfter });
      return null;
    }
    return this.dataSource.transaction((em) => this.sessions.open(em, { id: account.id as string, roles: account.roles, subscriberId: account.subscriberId }, 'token'));
  }

  /**
   * Sends a link to each member account of the members who gave this address. The answer is the
   * same whether or not the address is known, so the form tells nobody who is a member.
   */
  async sendLink(email: string): Promise<void> {
    if (!this.config.web.publicUrl) throw new WebError(WebErrorCode.SignInLinksOff, 'Sign-in links are not set up on this instance (LANTERNE_PUBLIC_URL): ask a volunteer.');
    await this.dataSource.transaction(async (em) => {
      const accounts = await this.accounts.memberAccountsOf(em, await this.subscribers.withEmail(em, email));
      const at = this.clock.now();
      for (const account of accounts) {
        const linkId = await insertSignInLink(em, { accountId: account.id, at, expiresAt: new Date(at.getTime() + SIGN_IN_LINK_MINUTES * 60_000) });
        await this.outbox.enqueue(em, { kind: 'sign-in-link', channel: 'email', ref: linkId });
        // Whoever typed the address is not known to be the member: the system sends, on an anonymous request.
        await this.ledger.record(em, { actor: SYSTEM_ACTOR, action: 'account.sign-in-link-sent', subject: account.subscriberId, refs: { accountId: account.id } });
      }
    });
  }

  /** A session for the link's account, once; null for a link unknown, used, expired or altered. */
  async redeemLink(token: string): Promise<{ cookie: string; expiresAt: Date } | null> {
    const linkId = linkIdOf(this.linkKey, token);
    if (!linkId) return null;
    return this.dataSource.transaction(async (em) => {
      const link = await findSignInLink(em, linkId, true);
      const now = this.clock.now();
      if (!link || link.usedAt || link.expiresAt <= now) return null;
      await markSignInLinkUsed(em, linkId, now);
      const account = await this.accounts.activeAccount(em, link.accountId);
      if (!account) return null;
      return this.sessions.open(em, { id: link.accountId, ...account }, 'link');
    });
  }

  /** Is this token one of ours, still unused and unexpired (the confirmation page asks before using it)? */
  async linkIsUsable(token: string): Promise<boolean> {
    const linkId = linkIdOf(this.linkKey, token);
    const link = linkId && (await findSignInLink(this.dataSource.manager, linkId));
    return Boolean(link && !link.usedAt && link.expiresAt > this.clock.now());
  }

  private async renderLink(linkId: string): Promise<RenderedMessage | null> {
    const em = this.dataSource.manager;
    const link = await findSignInLink(em, linkId);
    if (!link || link.usedAt || link.expiresAt <= this.clock.now()) return null;
    const account = await this.accounts.activeAccount(em, link.accountId);
    if (!account?.subscriberId) return null;
    const subscriber = await this.subscribers.getSubscriber(account.subscriberId, em);
    if (!subscriber.email) return null;
    const language = subscriber.language.startsWith('en') ? 'en' : 'fr';
    const url = `${this.config.web.publicUrl}/sign-in/link/${signInLinkToken(this.linkKey, linkId)}`;
    return {
      channel: 'email',
      to: subscriber.email,
      language,
      subject: language === 'fr' ? 'Votre lien de connexion' : 'Your sign-in link',
      body: LINK_TEXT[language](url),
    };
  }
}
