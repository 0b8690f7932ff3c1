import { Module } from '@nestjs/common';
import { RetentionPurgers } from './retention-purgers';

/** What the association keeps about its members, for how long, and (later) what they can see of it. */
@Module({
  providers: [RetentionPurgers],
  exports: [RetentionPurgers],
})
export class PrivacyModule {}
