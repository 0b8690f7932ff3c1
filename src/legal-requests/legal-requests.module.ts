import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { IdentityModule } from '../identity/identity.module';
import { LedgerModule } from '../ledger/ledger.module';
import { CompensationController } from './compensation.controller';
import { LegalRequestCompensation } from './compensation.service';
import { LegalRequestDeadlinesController } from './legal-request-deadlines.controller';
import { LegalRequestDeadlines } from './legal-request-deadlines.service';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';
import { RequestKeyRotation } from './request-key-rotation';

/** The justice system's requests, as the ccj circle receives them, with the authority's documents sealed. */
@Module({
  imports: [LedgerModule, IdentityModule, ConsensusModule],
  controllers: [LegalRequestsController, LegalRequestDeadlinesController, CompensationController],
  providers: [LegalRequestsService, RequestKeyRotation, LegalRequestDeadlines, LegalRequestCompensation],
})
export class LegalRequestsModule {}
