import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { IdentityModule } from '../identity/identity.module';
import { LedgerModule } from '../ledger/ledger.module';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';
import { RequestKeyRotation } from './request-key-rotation';
import { TransparencyController } from './transparency.controller';
import { TransparencyService } from './transparency.service';

/** The justice system's requests, as the ccj circle receives them, with the authority's documents sealed. */
@Module({
  imports: [LedgerModule, IdentityModule, ConsensusModule],
  controllers: [LegalRequestsController, TransparencyController],
  providers: [LegalRequestsService, RequestKeyRotation, TransparencyService],
})
export class LegalRequestsModule {}
