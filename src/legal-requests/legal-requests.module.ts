import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { IdentityModule } from '../identity/identity.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { GagCheck } from './gag-check';
import { LegalRequestSubjects } from './legal-request-subjects';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';
import { RequestKeyRotation } from './request-key-rotation';

/** The justice system's requests, as the ccj circle receives them, with the authority's documents sealed. */
@Module({
  imports: [LedgerModule, IdentityModule, ConsensusModule, PrivacyModule, OutboxModule, SubscribersModule],
  controllers: [LegalRequestsController],
  providers: [LegalRequestsService, RequestKeyRotation, LegalRequestSubjects, GagCheck],
})
export class LegalRequestsModule {}
