import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { IdentityRetention } from './identity-retention';
import { IdentityMemberData } from './identity-member-data';
import { IdentityService } from './identity.service';
import { MasterKeyRotation } from './master-key-rotation.service';
import { MasterKeyWrappedRegistry } from './master-key-wrapped';
import { IdentityVault } from './vault.service';
import { VerificationMessages } from './verification-messages.service';
import { VerificationsController } from './verifications.controller';
import { VerificationsService } from './verifications.service';

/**
 * The sealed vault: legal identities and the SMS and postal verifications that establish them.
 * `IdentityService.readFor` is the one way to read an identity; the command line resolves
 * `MasterKeyRotation` for `lanterne rotate-master-key`, which re-wraps the keys other contexts
 * register in `MasterKeyWrappedRegistry` too.
 */
@Module({
  imports: [SubscribersModule, LedgerModule, OutboxModule, PrivacyModule],
  controllers: [VerificationsController],
  providers: [IdentityVault, IdentityService, IdentityMemberData, VerificationsService, VerificationMessages, IdentityRetention, MasterKeyRotation, MasterKeyWrappedRegistry],
  exports: [IdentityService, MasterKeyWrappedRegistry, VerificationsService, VerificationMessages],
})
export class IdentityModule {}
