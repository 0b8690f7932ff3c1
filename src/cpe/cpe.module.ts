import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { CpeInventoryService } from './cpe-inventory.service';
import { CpeLoan } from './cpe-loan.entity';
import { CpeLoansService } from './cpe-loans.service';
import { CpeMemberData } from './cpe-member-data';
import { CpeMacAddress } from './cpe-mac-address.entity';
import { CpeController } from './cpe.controller';
import { Cpe } from './cpe.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Cpe, CpeMacAddress, CpeLoan]), SubscribersModule, PrivacyModule],
  controllers: [CpeController],
  providers: [CpeInventoryService, CpeLoansService, CpeMemberData],
  exports: [CpeInventoryService, CpeLoansService],
})
export class CpeModule {}
