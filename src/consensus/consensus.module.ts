import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LedgerModule } from '../ledger/ledger.module';
import { CirclesController } from './circles.controller';
import { ConsensusService } from './consensus.service';
import { ProposalCloser } from './proposal-closer';
import { ProposalOutcomes } from './proposal-outcomes';
import { ProposalsController } from './proposals.controller';

/**
 * Circles (ccj, board) and their decisions by consent. Other contexts open proposals bound to what
 * they decide about (ConsensusService.openProposal) and register what an adopted or rejected one
 * sets in motion (ProposalOutcomes).
 */
@Module({
  imports: [AuthModule, LedgerModule],
  controllers: [CirclesController, ProposalsController],
  providers: [ConsensusService, ProposalCloser, ProposalOutcomes],
  exports: [ConsensusService, ProposalOutcomes],
})
export class ConsensusModule {}
