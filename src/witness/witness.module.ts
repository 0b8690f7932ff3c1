import { Module } from '@nestjs/common';
import { WitnessController } from './witness.controller';
import { WitnessService } from './witness.service';

/** Lanterne as a C2SP witness of other associations' logs: it depends on nothing but the ledger's Merkle functions. */
@Module({
  controllers: [WitnessController],
  providers: [WitnessService],
})
export class WitnessModule {}
