import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { AuthModule } from './auth/auth.module';
import { CanaryModule } from './canary/canary.module';
import { BackupModule } from './backup/backup.module';
import { Clock } from './common/clock';
import { createRootLogger, loggerParams, ROOT_LOGGER } from './common/logging';
import { ProblemFilter } from './common/problem.filter';
import { ProblemPagesModule } from './common/problem-pages';
import { AppConfig, KeyMaterial } from './config/config';
import { ConfigModule } from './config/config.module';
import { ConsensusModule } from './consensus/consensus.module';
import { CpeModule } from './cpe/cpe.module';
import { DnsModule } from './dns/dns.module';
import { GovernanceModule } from './governance/governance.module';
import { AfterCommitModule } from './database/after-commit';
import { dataSourceOptions } from './database/data-source-options';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { LedgerModule } from './ledger/ledger.module';
import { LegalRequestsModule } from './legal-requests/legal-requests.module';
import { PrivacyModule } from './privacy/privacy.module';
import { IpamModule } from './ipam/ipam.module';
import { ProvisioningModule } from './provisioning/provisioning.module';
import { OutboxModule } from './outbox/outbox.module';
import { queueConnection } from './queue/queue-connection';
import { QueueModule } from './queue/queue.module';
import { SubscribersModule } from './subscribers/subscribers.module';
import { TunnelsModule } from './tunnels/tunnels.module';
import { WebModule } from './web/web.module';
import { WitnessModule } from './witness/witness.module';

export interface Runtime {
  config: AppConfig;
  keys: KeyMaterial;
  /** Where PostgreSQL answers: DATABASE_URL, or the embedded server once it listens. */
  databaseUrl: string;
  clock?: Clock;
  /** Where logs go instead of standard output (tests read them there). */
  logDestination?: DestinationStream;
  /** The embedded PostgreSQL this process runs (embedded mode, unless the command goes through the service's). */
  embedded?: EmbeddedPostgres | null;
}

/** The API and the workers are built from the same modules; LANTERNE_ROLE only decides what starts. */
@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const { config, keys, databaseUrl, clock, logDestination, embedded } = runtime;
    const rootLogger = createRootLogger(config.logLevel, logDestination);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, keys, clock),
        LoggerModule.forRoot(loggerParams(rootLogger)),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl, 10, config.database), autoLoadEntities: true }),
        QueueModule.forRoot(queueConnection(config.mode, { databaseUrl, redisUrl: config.redisUrl }), config.queuePrefix),
        AfterCommitModule,
        ProblemPagesModule,
        HealthModule,
        AuthModule,
        SubscribersModule,
        LedgerModule,
        PrivacyModule,
        IpamModule,
        TunnelsModule,
        CpeModule,
        LegalRequestsModule,
        ProvisioningModule,
        DnsModule,
        OutboxModule,
        IdentityModule,
        ConsensusModule,
        WebModule,
        CanaryModule,
        GovernanceModule,
        WitnessModule,
        BackupModule.forRoot(embedded ?? null),
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: ROOT_LOGGER, useValue: rootLogger },
      ],
    };
  }
}
