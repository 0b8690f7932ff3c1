import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { QUEUE_NAMES } from './job-catalogue';
import { JobRegistry } from './job-registry';
import { QUEUE_OPTIONS } from './queue.tokens';


@Global()
@Module({})
export class QueueModule {
  static forRoot(connection: object, prefix: string): DynamicModule {
    return {
      module: QueueModule,
      imports: [BullModule.forRoot({ connection: connection as never, prefix }), BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })))],
      providers: [{ provide: QUEUE_OPTIONS, useValue: { connection, prefix } }, JobRegistry],
      exports: [BullModule, JobRegistry],
    };
  }
}
