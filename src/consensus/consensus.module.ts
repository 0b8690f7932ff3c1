import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LedgerModule } from '../ledger/ledger.module';
import { CirclesController } from './circles.controller';
import { ConsensusService } from './consensus.service';
import { ProposalCloser } from './proposal-closer';
import { ProposalsController } from './proposals.controller';

/**
 * Circles (ccj, board) and their decisions by consent. ConsensusService (openProposal, outcome,
 * assertMayExecute) is what legal requests will inject: the module exports it once a context does.
 */
@Module({
  imports: [AuthModule, LedgerModule],
  controllers: [CirclesController, ProposalsController],
  providers: [ConsensusService, ProposalCloser],
})
export class ConsensusModule {}
