import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { Page, Pagination } from '../common/pagination';
import { iso } from '../common/schemas';
import { LedgerService } from '../ledger/ledger.service';
import { OutboxService } from '../outbox/outbox.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { IdentityError, IdentityErrorCode, verificationNotFound, verificationNotPending } from './identity.errors';
import { StartedVerificationView, StartVerificationInput, VerificationView } from './identity.schemas';
import { endVerification, insertVerification, listVerifications, readVerification, recordSend, recordWrongCode, VerificationRow } from './identity.store';
import { IdentityService } from './identity.service';
import { codeMatches, hashVerificationCode, newVerificationCode } from './verification-code';
import { afterWrongCode, CODE_VALIDITY_MS, MAX_ATTEMPTS, resendDecision, statusAt } from './verification-rules';
import { sealVerificationField } from './vault-crypto';
import { IdentityVault } from './vault.service';

/** What a confirmation came to, committed before it is answered (a wrong code must count even though it is refused). */
type Outcome = { ok: true } | { ok: false; error: IdentityError };

/**
 * SMS and postal verification: a technician starts one, the code goes out through the outbox, the
 * member (or a technician) types it. While pending, the code is kept twice, both sealed under the
 * subscriber's data key: an HMAC to check it, and a sealed copy for the outbox to send and for
 * letters to be (re)printed. Both go when the verification ends, however it ends.
 */
@Injectable()
export class VerificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly vault: IdentityVault,
    private readonly identities: IdentityService,
    private readonly subscribers: SubscribersService,
    private readonly outbox: OutboxService,
    private readonly ledger: LedgerService,
  ) {}

  async start(subscriberId: string, input: StartVerificationInput, actor: Actor): Promise<StartedVerificationView> {
    return this.dataSource.transaction(async (em) => {
      const subscriber = await this.subscribers.lockSubscriber(em, subscriberId);
      if (subscriber.status === 'terminated') {
        throw new IdentityError(IdentityErrorCode.SubscriberTerminated, `Subscriber ${subscriber.memberNumber} is terminated; there is nothing left to verify.`);
      }
      const key = await this.vault.ensureDataKey(em, subscriberId);
      const id = randomUUID();
      const now = this.clock.now();
      const code = newVerificationCode();
      const seal = (field: 'code' | 'legal_name' | 'contact', value: string) => sealVerificationField(key, subscriberId, id, field, value);
      const expiresAt = new Date(now.getTime() + CODE_VALIDITY_MS[input.method]);
      await insertVerification(em, {
        id,
        subscriber_id: subscriberId,
        method: input.method,
        code_hash: hashVerificationCode(key, id, code),
        sealed_code: seal('code', code),
        pending_legal_name: input.legalName === undefined ? null : seal('legal_name', input.legalName),
        // The schema guarantees the phone of an SMS verification and the address of a letter.
        pending_contact: seal('contact', input.method === 'sms' ? (input.phone as string) : JSON.stringify(input.address)),
        expires_at: expiresAt,
        created_at: now,
      });
      await this.send(em, id, input.method, now, true);
      await this.ledger.record(em, { actor, action: 'verification.started', subject: subscriberId, refs: { verification: id, method: input.method } });
      return { id, method: input.method, status: 'sent', expiresAt: expiresAt.toISOString() };
    });
  }

  async resend(id: string, actor: Actor): Promise<VerificationRow> {
    return this.dataSource.transaction(async (em) => {
      const v = await this.lock(em, id);
      const now = this.clock.now();
      const decision = resendDecision({ method: v.method, status: v.status, expiresAt: v.expires_at, sends: v.sends, lastSentAt: v.last_sent_at }, now);
      if (!decision.ok) {
        if (decision.problem === 'not-pending') throw verificationNotPending(decision.status);
        if (decision.problem === 'too-many-sends') {
          const retryAfter = Math.ceil((v.expires_at.getTime() - now.getTime()) / 1000);
          throw new IdentityError(IdentityErrorCode.TooManySends, 'The code was already sent 3 times; start a new verification once this one has expired.', { retryAfter });
        }
        throw new IdentityError(IdentityErrorCode.ResendTooSoon, `Texts of one verification are at least 60 s apart; retry in ${decision.retryAfterSeconds} s.`, {
          retryAfter: decision.retryAfterSeconds,
        });
      }
      await this.send(em, id, v.method, now, false);
      await this.ledger.record(em, { actor, action: 'verification.resent', subject: v.subscriber_id, refs: { verification: id, method: v.method, sends: v.sends + 1 } });
      return (await readVerification(em, id)) as VerificationRow;
    });
  }

  async confirm(id: string, code: string, actor: Actor): Promise<void> {
    const outcome = await this.dataSource.transaction(async (em): Promise<Outcome> => {
      // Locked until commit: of two confirmations of one code, the second sees the first's outcome.
      const v = await this.lock(em, id);
      if (actor.role === 'member' && actor.subscriberId !== v.subscriber_id) {
        return { ok: false, error: new IdentityError(IdentityErrorCode.NotYourVerification, 'This verification is not about you.') };
      }
      const now = this.clock.now();
      const status = statusAt({ status: v.status, expiresAt: v.expires_at }, now);
      if (status === 'expired' && v.status === 'sent') await endVerification(em, id, 'expired', now);
      if (status !== 'sent') return { ok: false, error: verificationNotPending(status) };
      const key = (await this.vault.dataKey(em, v.subscriber_id)) as Buffer;
      if (!codeMatches(key, id, code, v.code_hash as Buffer)) {
        const wrong = afterWrongCode(v.attempts);
        if (wrong.locked) {
          await endVerification(em, id, 'locked', now, wrong.attempts);
          await this.ledger.record(em, { actor, action: 'verification.locked', subject: v.subscriber_id, refs: { verification: id, method: v.method } });
        } else {
          await recordWrongCode(em, id, wrong.attempts);
        }
        const detail = wrong.locked ? `Wrong code: that was the ${MAX_ATTEMPTS}th, the verification is now locked.` : `Wrong code; ${wrong.attemptsLeft} attempt(s) left.`;
        return { ok: false, error: new IdentityError(IdentityErrorCode.WrongCode, detail, { attemptsLeft: wrong.attemptsLeft }) };
      }
      await this.identities.recordVerified(em, v, key, now);
      await endVerification(em, id, 'verified', now);
      await this.subscribers.activatePending(em, v.subscriber_id);
      await this.ledger.record(em, { actor, action: 'verification.confirmed', subject: v.subscriber_id, refs: { verification: id, method: v.method } });
      return { ok: true };
    });
    if (!outcome.ok) throw outcome.error;
  }

  async get(id: string): Promise<VerificationRow> {
    const v = await readVerification(this.dataSource.manager, id);
    if (!v) throw verificationNotFound(id);
    return v;
  }

  /** A verification as it is shown (API and pages alike): its status now and its last delivery; never the contact or the code. */
  async view(v: VerificationRow): Promise<VerificationView> {
    const delivery = v.last_message_id ? await this.outbox.messageStatus(v.last_message_id) : undefined;
    return {
      id: v.id,
      subscriberId: v.subscriber_id,
      method: v.method,
      status: statusAt({ status: v.status, expiresAt: v.expires_at }, this.clock.now()),
      createdAt: v.created_at.toISOString(),
      expiresAt: v.expires_at.toISOString(),
      endedAt: iso(v.ended_at),
      attemptsLeft: MAX_ATTEMPTS - v.attempts,
      sends: v.sends,
      lastSentAt: v.last_sent_at.toISOString(),
      delivery: delivery?.status ?? null,
    };
  }

  async listOf(subscriberId: string, page: Pagination): Promise<Page<VerificationRow>> {
    await this.subscribers.getSubscriber(subscriberId);
    const { rows, total } = await listVerifications(this.dataSource.manager, subscriberId, page.limit, page.offset);
    return { items: rows, total, limit: page.limit, offset: page.offset };
  }

  private async lock(em: EntityManager, id: string): Promise<VerificationRow> {
    const v = await readVerification(em, id, true);
    if (!v) throw verificationNotFound(id);
    return v;
  }

  /** The outbox renders the message from the verification's id when it sends it: the job carries no code. */
  private async send(em: EntityManager, id: string, channel: VerificationRow['method'], at: Date, first: boolean): Promise<void> {
    const { messageId } = await this.outbox.enqueue(em, { kind: 'verification-code', channel, ref: id });
    await recordSend(em, id, at, messageId, first);
  }
}
