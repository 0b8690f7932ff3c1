import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LedgerModule } from '../ledger/ledger.module';
import { CirclesController } from './circles.controller';
import { ConsensusService } from './consensus.service';
import { ProposalCloser } from './proposal-closer';
import { ProposalsController } from './proposals.controller';

/** Circles (ccj, board) and their decisions by consent; legal requests bind proposals to what they decide. */
@Module({
  imports: [AuthModule, LedgerModule],
  controllers: [CirclesController, ProposalsController],
  providers: [ConsensusService, ProposalCloser],
  exports: [ConsensusService],
})
export class ConsensusModule {}
