import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { CircleNotices } from './circle-notices';
import { CirclesService } from './circles.service';
import { CirclesController } from './circles.controller';
import { ConsensusService } from './consensus.service';
import { ProposalCloser } from './proposal-closer';
import { ProposalOutcomes } from './proposal-outcomes';
import { ProposalsController } from './proposals.controller';

/**
 * Circles (ccj, board) and their decisions by consent. Other contexts open proposals bound to what
 * they decide about (ConsensusService.openProposal) and register what an adopted or rejected one
 * sets in motion (ProposalOutcomes); they tell a circle's members of a deadline (CircleNotices).
 */
@Module({
  imports: [AuthModule, LedgerModule, OutboxModule],
  controllers: [CirclesController, ProposalsController],
  providers: [ConsensusService, CirclesService, ProposalCloser, ProposalOutcomes, CircleNotices],
  exports: [ConsensusService, CirclesService, ProposalOutcomes, CircleNotices],
})
export class ConsensusModule {}
