import { Module } from '@nestjs/common';
import { IpamMemberData } from './ipam-member-data';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerModule } from '../ledger/ledger.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { AssignmentReleaseHandlers } from './assignment-release-handlers';
import { IpAllocationService } from './ip-allocation.service';
import { IpAssignment } from './ip-assignment.entity';
import { IpAssignmentsController } from './ip-assignments.controller';
import { IpAssignmentsService } from './ip-assignments.service';
import { IpImportService } from './ip-import.service';
import { IpPool } from './ip-pool.entity';
import { IpPoolsController } from './ip-pools.controller';
import { IpPoolsService } from './ip-pools.service';

@Module({
  imports: [TypeOrmModule.forFeature([IpPool, IpAssignment]), SubscribersModule, LedgerModule, PrivacyModule, ProvisioningModule],
  controllers: [IpPoolsController, IpAssignmentsController],
  providers: [IpamMemberData, IpPoolsService, IpAllocationService, IpAssignmentsService, IpImportService, AssignmentReleaseHandlers],
  exports: [IpPoolsService, IpAssignmentsService, IpAllocationService, AssignmentReleaseHandlers],
})
export class IpamModule {}
