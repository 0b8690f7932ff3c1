import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { DataMapService } from './data-map.service';
import { MemberDataController } from './member-data.controller';
import { MemberDataProviders } from './member-data-providers';
import { MemberDataService } from './member-data.service';
import { RectifiableFields } from './rectifiable-fields';
import { RectificationsController } from './rectifications.controller';
import { RectificationsService } from './rectifications.service';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionPurgers } from './retention-purgers';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

/**
 * What the association keeps about its members, for how long, and what they can see of it. The
 * contexts that hold data register their purgers, their parts of the member's export and the fields
 * a member may rectify here; privacy imports none of them.
 */
@Module({
  imports: [LedgerModule],
  controllers: [RetentionController, MemberDataController, RectificationsController],
  providers: [RetentionPurgers, RetentionPoliciesService, RetentionService, MemberDataProviders, DataMapService, MemberDataService, RectifiableFields, RectificationsService],
  exports: [RetentionPurgers, MemberDataProviders, RectifiableFields, MemberDataService, RectificationsService, DataMapService, RetentionPoliciesService, RetentionService],
})
export class PrivacyModule {}
