import { Module } from '@nestjs/common';
import { CheckpointSweep } from './checkpoint-sweep.service';
import { CheckpointService } from './checkpoint.service';
import { Cosigning } from './cosigning.service';
import { LedgerReader } from './ledger-reader.service';
import { LedgerVerifier } from './ledger-verifier.service';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';
import { PersonalValuesService } from './personal-values.service';
import { SubjectHolds } from './subject-holds';

/**
 * The tamper-evident ledger. Other contexts import this module and call `LedgerService.record` in
 * the transaction of each sensitive action; the reader and the checkpoints serve views of the log
 * built elsewhere (the public view of admin actions).
 */
@Module({
  controllers: [LedgerController],
  providers: [LedgerService, LedgerReader, CheckpointService, Cosigning, CheckpointSweep, LedgerVerifier, PersonalValuesService, SubjectHolds],
  exports: [LedgerService, PersonalValuesService, LedgerReader, CheckpointService, SubjectHolds, LedgerVerifier],
})
export class LedgerModule {}
