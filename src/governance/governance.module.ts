import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConsensusModule } from '../consensus/consensus.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { AdminActionsService } from './admin-actions.service';
import { GovernanceController } from './governance.controller';
import { PrivilegeProposalsService } from './privilege-proposals.service';

/**
 * How the association governs its instance: privileges granted by board proposals, and the public
 * log of what admins (and the ccj, and the system) did.
 */
@Module({
  imports: [AuthModule, ConsensusModule, LedgerModule, PrivacyModule, SubscribersModule],
  controllers: [GovernanceController],
  providers: [PrivilegeProposalsService, AdminActionsService],
  exports: [PrivilegeProposalsService],
})
export class GovernanceModule {}
