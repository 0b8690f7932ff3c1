import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';

/** The justice system's requests, as the ccj circle receives them, with the authority's documents sealed. */
@Module({
  imports: [LedgerModule],
  controllers: [LegalRequestsController],
  providers: [LegalRequestsService],
})
export class LegalRequestsModule {}
