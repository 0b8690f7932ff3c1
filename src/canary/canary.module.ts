import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { LedgerModule } from '../ledger/ledger.module';
import { CanaryWarnings } from './canary-warnings.service';
import { CanaryController } from './canary.controller';
import { CanaryService } from './canary.service';

/** The warrant canary: adopted by the ccj circle, signed with the ledger key, warned about before it lapses. */
@Module({
  imports: [ConsensusModule, LedgerModule],
  controllers: [CanaryController],
  providers: [CanaryService, CanaryWarnings],
  exports: [CanaryService],
})
export class CanaryModule {}
