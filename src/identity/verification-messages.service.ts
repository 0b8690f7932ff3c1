import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { LedgerService } from '../ledger/ledger.service';
import { MessageRenderers } from '../outbox/message-renderers';
import { LetterContent, RenderedMessage } from '../outbox/outbox-message';
import { OutboxService } from '../outbox/outbox.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { IdentityError, IdentityErrorCode, verificationNotFound, verificationNotPending } from './identity.errors';
import { PostalAddress } from './identity.schemas';
import { pendingLetters, readVerification, VerificationRow } from './identity.store';
import { addressLines, addressOnOneLine, messageLanguage } from './postal-letter';
import { statusAt } from './verification-rules';
import { openVerificationField } from './vault-crypto';
import { IdentityVault } from './vault.service';

type Letter = LetterContent & { language: 'fr' | 'en' };

const SMS_BODY = {
  fr: (code: string) => `Lanterne : votre code de vérification est ${code}. Il est valable 15 minutes. Ne le communiquez à personne d'autre.`,
  en: (code: string) => `Lanterne: your verification code is ${code}. It is valid for 15 minutes. Do not share it with anyone else.`,
};
const LETTER_BODY = {
  fr: (code: string, until: string) => `Votre code de vérification est ${code}. Saisissez-le avant le ${until}, ou communiquez-le à l'association.`,
  en: (code: string, until: string) => `Your verification code is ${code}. Type it before ${until}, or give it to the association.`,
};

/**
 * What a pending verification sends: the SMS or the letter, rendered when the outbox sends it (or a
 * technician prints it) from the sealed copy of the code and of the contact, never before, never
 * once the verification has ended.
 */
@Injectable()
export class VerificationMessages {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly vault: IdentityVault,
    private readonly subscribers: SubscribersService,
    renderers: MessageRenderers,
    private readonly outbox: OutboxService,
    private readonly ledger: LedgerService,
  ) {
    // In the constructor, so the renderer is there before any module's init checks the list.
    renderers.register('verification-code', (ref) => this.render(ref));
  }

  async render(verificationId: string): Promise<RenderedMessage | null> {
    const em = this.dataSource.manager;
    const v = await readVerification(em, verificationId);
    if (!v || statusAt({ status: v.status, expiresAt: v.expires_at }, this.clock.now()) !== 'sent') return null;
    const { code, contact, legalName, language } = await this.openPending(em, v);
    if (v.method === 'sms') return { channel: 'sms', to: contact, language, body: SMS_BODY[language](code), code };
    const address = JSON.parse(contact) as PostalAddress;
    const until = v.expires_at.toISOString().slice(0, 10);
    const letter = this.letterOf(v, code, legalName as string, address, language);
    return { channel: 'postal', to: addressOnOneLine(address), language, body: LETTER_BODY[language](code, until), code, letter };
  }

  /** One pending letter as a PDF, recorded in the ledger: printing it shows its address to the technician. */
  async letterPdf(verificationId: string, actor: Actor): Promise<Buffer> {
    return this.dataSource.transaction(async (em) => {
      const v = await readVerification(em, verificationId);
      if (!v) throw verificationNotFound(verificationId);
      if (v.method !== 'postal') throw new IdentityError(IdentityErrorCode.NotALetter, 'This verification goes by SMS: there is no letter to print.');
      const status = statusAt({ status: v.status, expiresAt: v.expires_at }, this.clock.now());
      if (status !== 'sent') throw verificationNotPending(status);
      return this.print(em, [v], actor);
    });
  }

  /** How many letters are pending (started since `since`, when given): what a technician has to print. */
  async pendingLetterCount(since?: Date): Promise<number> {
    return (await pendingLetters(this.dataSource.manager, this.clock.now(), since ?? null)).length;
  }

  /** Every pending letter (started since `since`, when given), oldest first, in one PDF to print: one ledger entry per letter. */
  async pendingLettersPdf(actor: Actor, since?: Date): Promise<Buffer> {
    return this.dataSource.transaction(async (em) => {
      const letters = await pendingLetters(em, this.clock.now(), since ?? null);
      if (letters.length === 0) throw new IdentityError(IdentityErrorCode.NoPendingLetters, 'No letter is pending: there is nothing to print.');
      return this.print(em, letters, actor);
    });
  }

  private async print(em: EntityManager, verifications: VerificationRow[], actor: Actor): Promise<Buffer> {
    const letters: Letter[] = [];
    for (const v of verifications) {
      const { code, contact, legalName, language } = await this.openPending(em, v);
      letters.push(this.letterOf(v, code, legalName as string, JSON.parse(contact) as PostalAddress, language));
    }
    const pdf = await this.outbox.renderLetters(letters);
    await this.ledger.recordMany(
      em,
      verifications.map((v) => ({ actor, action: 'verification.letter-printed' as const, subject: v.subscriber_id, refs: { verification: v.id } })),
    );
    return pdf;
  }

  private letterOf(v: VerificationRow, code: string, legalName: string, address: PostalAddress, language: 'fr' | 'en'): Letter {
    return { addressLines: addressLines(legalName, address, language), code, expiresAt: v.expires_at, language };
  }

  private async openPending(em: EntityManager, v: VerificationRow) {
    const key = (await this.vault.dataKey(em, v.subscriber_id)) as Buffer;
    const open = (field: 'code' | 'legal_name' | 'contact', sealed: Buffer) => openVerificationField(key, v.subscriber_id, v.id, field, sealed);
    const subscriber = await this.subscribers.getSubscriber(v.subscriber_id, em);
    return {
      code: open('code', v.sealed_code as Buffer),
      contact: open('contact', v.pending_contact as Buffer),
      legalName: v.pending_legal_name && open('legal_name', v.pending_legal_name),
      language: messageLanguage(subscriber.language),
    };
  }
}
