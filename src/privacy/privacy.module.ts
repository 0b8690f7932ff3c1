import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionPurgers } from './retention-purgers';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

/**
 * What the association keeps about its members, for how long, and (later) what they can see of it.
 * The contexts that hold data register their purgers here; privacy imports none of them.
 */
@Module({
  imports: [LedgerModule],
  controllers: [RetentionController],
  providers: [RetentionPurgers, RetentionPoliciesService, RetentionService],
  exports: [RetentionPurgers],
})
export class PrivacyModule {}
