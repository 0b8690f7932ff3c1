import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { IdentityModule } from '../identity/identity.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { LegalRequestsMemberData } from './legal-requests-member-data';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';
import { RequestKeyRotation } from './request-key-rotation';

/** The justice system's requests, as the ccj circle receives them, with the authority's documents sealed. */
@Module({
  imports: [LedgerModule, IdentityModule, ConsensusModule, PrivacyModule],
  controllers: [LegalRequestsController],
  providers: [LegalRequestsMemberData, LegalRequestsService, RequestKeyRotation],
})
export class LegalRequestsModule {}
