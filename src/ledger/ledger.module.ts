import { Module } from '@nestjs/common';
import { CheckpointSweep } from './checkpoint-sweep.service';
import { CheckpointService } from './checkpoint.service';
import { LedgerReader } from './ledger-reader.service';
import { LedgerVerifier } from './ledger-verifier.service';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';
import { PersonalValuesService } from './personal-values.service';

/**
 * The tamper-evident ledger. Other contexts import this module and call `LedgerService.record` in
 * the transaction of each sensitive action.
 */
@Module({
  controllers: [LedgerController],
  providers: [LedgerService, LedgerReader, CheckpointService, CheckpointSweep, LedgerVerifier, PersonalValuesService],
  exports: [LedgerService, PersonalValuesService, CheckpointService],
})
export class LedgerModule {}
