import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, Role } from '../common/access';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LedgerService } from '../ledger/ledger.service';
import { endSession, endSessionsOf, insertSession, liveSession, touchSession } from './web.store';

/** Who a page session belongs to; the role it acts under is chosen per page. */
export type SessionHolder = Omit<Actor, 'role'> & { language: 'fr' | 'en' | null };

const hashOf = (cookie: string) => createHash('sha256').update(cookie, 'utf8').digest();

/** A session seen again within a minute is not written again: one write per minute of activity at most. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Page sessions: a random cookie known to the database only by its hash, ended by idleness, by age,
 * by signing out, or everywhere at once. Opening and ending everywhere are recorded in the ledger.
 */
@Injectable()
export class WebSessions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(em: EntityManager, holder: { id: string; roles: Role[]; subscriberId: string | null }, method: 'token' | 'link'): Promise<{ cookie: string; expiresAt: Date }> {
    const cookie = randomBytes(32).toString('base64url');
    const at = this.clock.now();
    const expiresAt = new Date(at.getTime() + this.config.web.sessionHours * 3_600_000);
    await insertSession(em, { cookieHash: hashOf(cookie), accountId: holder.id, at, expiresAt });
    await this.ledger.record(em, {
      actor: { id: holder.id, role: holder.roles[0] },
      action: 'account.session-opened',
      subject: holder.subscriberId ?? undefined,
      refs: { accountId: holder.id, method },
    });
    return { cookie, expiresAt };
  }

  async holderOf(cookie: string): Promise<SessionHolder | null> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.web.idleMinutes * 60_000);
    const session = await liveSession(this.dataSource.manager, hashOf(cookie), now, idleSince);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(this.dataSource.manager, session.sessionId, now);
    return { id: session.accountId, name: session.name, roles: session.roles, subscriberId: session.subscriberId, language: session.language };
  }

  async end(cookie: string): Promise<void> {
    await endSession(this.dataSource.manager, hashOf(cookie), this.clock.now());
  }

  /** Every session of the account, on every device; the token-based API is not affected. */
  async endEverywhere(actor: Actor): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const ended = await endSessionsOf(em, actor.id as string, this.clock.now());
      await this.ledger.record(em, { actor, action: 'account.sessions-ended', subject: actor.subscriberId ?? undefined, refs: { accountId: actor.id, ended } });
      return ended;
    });
  }
}
