import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { LedgerService } from '../ledger/ledger.service';
import { PurposeCategory } from '../ledger/ledger-entry';
import { PostalAddress } from './identity.schemas';
import { readIdentity, upsertIdentity, VerificationRow } from './identity.store';
import { addressOnOneLine } from './postal-letter';
import { openIdentityField, openVerificationField, sealIdentityField } from './vault-crypto';
import { IdentityVault } from './vault.service';

export type VerifiedContact =
  | { method: 'sms'; value: string; verifiedAt: Date }
  | { method: 'postal'; value: string; address: PostalAddress; verifiedAt: Date };

/** A member's legal identity as the vault holds it once verified. */
export interface VerifiedIdentity {
  subscriberId: string;
  legalName: string | null;
  verifiedContact: VerifiedContact;
}

/**
 * The vault's one door. Nothing else decrypts a verified identity: the member reading their own data
 * and an adopted legal disclosure both come through `readFor`, which records `identity.read` in the
 * same transaction as the read, so no read happens unrecorded.
 */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: IdentityVault,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * The decrypted identity (null when none is verified) and its ledger entry. `purpose` is why, as
   * the member will read it in their access log (e.g. "export of my data", or the legal request and
   * its reference); `em` joins the caller's transaction (a disclosure records its own entry with it).
   */
  async readFor(purpose: string, subscriberId: string, actor: Actor, options: { purposeCategory: PurposeCategory; em?: EntityManager }): Promise<VerifiedIdentity | null> {
    const read = async (em: EntityManager) => {
      const identity = await this.open(em, subscriberId);
      await this.ledger.record(em, {
        actor,
        action: 'identity.read',
        subject: subscriberId,
        purpose,
        purposeCategory: options.purposeCategory,
        refs: { found: identity !== null },
      });
      return identity;
    };
    return options.em ? read(options.em) : this.dataSource.transaction(read);
  }

  /**
   * Seals what a verification has just verified as the subscriber's identity, replacing the earlier
   * contact (and the earlier legal name, when this one came with a name).
   */
  async recordVerified(em: EntityManager, verification: VerificationRow, dataKey: Buffer, at: Date): Promise<void> {
    const { id, subscriber_id: subscriberId } = verification;
    const reseal = (field: 'legal_name' | 'contact', sealed: Buffer) =>
      sealIdentityField(dataKey, subscriberId, field, openVerificationField(dataKey, subscriberId, id, field, sealed));
    await upsertIdentity(em, {
      subscriber_id: subscriberId,
      legal_name: verification.pending_legal_name && reseal('legal_name', verification.pending_legal_name),
      contact_method: verification.method,
      contact: reseal('contact', verification.pending_contact as Buffer),
      verified_at: at,
      verification_id: id,
    });
  }

  private async open(em: EntityManager, subscriberId: string): Promise<VerifiedIdentity | null> {
    const row = await readIdentity(em, subscriberId);
    const key = row && (await this.vault.dataKey(em, subscriberId));
    if (!row || !key) return null;
    const contact = openIdentityField(key, subscriberId, 'contact', row.contact);
    const legalName = row.legal_name && openIdentityField(key, subscriberId, 'legal_name', row.legal_name);
    if (row.contact_method === 'sms') return { subscriberId, legalName, verifiedContact: { method: 'sms', value: contact, verifiedAt: row.verified_at } };
    const address = JSON.parse(contact) as PostalAddress;
    return { subscriberId, legalName, verifiedContact: { method: 'postal', value: addressOnOneLine(address), address, verifiedAt: row.verified_at } };
  }
}
