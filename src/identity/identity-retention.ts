import { Injectable } from '@nestjs/common';
import { purgeCutoff, PurgeRequest, PurgeResult, RetentionPurgers } from '../privacy/retention-purgers';
import { SubscribersService } from '../subscribers/subscribers.service';
import { deleteDataKeys, deleteUnconfirmedVerifications } from './identity.store';

/**
 * The vault's two retention categories. An identity is crypto-shredded: its data key is deleted, and
 * with it every row it sealed; a backup of those rows holds ciphertext that no key opens any more.
 */
@Injectable()
export class IdentityRetention {
  constructor(
    purgers: RetentionPurgers,
    private readonly subscribers: SubscribersService,
  ) {
    purgers.register('identity', (request) => this.shredIdentities(request));
    purgers.register('unconfirmed-verifications', (request) => this.purgeUnconfirmedVerifications(request));
  }

  /** Identities of members terminated `keepDays` ago or more. */
  async shredIdentities(request: PurgeRequest): Promise<PurgeResult> {
    const terminated = await this.subscribers.terminatedBefore(request.em, purgeCutoff(request));
    const shredded = terminated.length > 0 ? await deleteDataKeys(request.em, terminated) : [];
    return { count: shredded.length, erasedSubjects: shredded };
  }

  /** Verifications never confirmed, `keepDays` after their expiry (0: at expiry). */
  async purgeUnconfirmedVerifications(request: PurgeRequest): Promise<PurgeResult> {
    return { count: (await deleteUnconfirmedVerifications(request.em, purgeCutoff(request))).length };
  }
}
