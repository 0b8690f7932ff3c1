import { Module } from '@nestjs/common';
import { ConsensusModule } from '../consensus/consensus.module';
import { IdentityModule } from '../identity/identity.module';
import { IpamModule } from '../ipam/ipam.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { AnswerPdfService } from './answer-pdf.service';
import { CompensationController } from './compensation.controller';
import { LegalRequestCompensation } from './compensation.service';
import { DisclosuresService } from './disclosures.service';
import { GagCheck } from './gag-check';
import { LegalDecisionsService } from './legal-decisions.service';
import { LegalRequestDeadlinesController } from './legal-request-deadlines.controller';
import { LegalRequestDeadlines } from './legal-request-deadlines.service';
import { LegalRequestSubjects } from './legal-request-subjects';
import { LegalRequestsMemberData } from './legal-requests-member-data';
import { LegalRequestsController } from './legal-requests.controller';
import { LegalRequestsService } from './legal-requests.service';
import { RequestKeyRotation } from './request-key-rotation';
import { RequestKeys } from './request-keys';
import { RequestTransitions } from './request-transitions';
import { TransparencyController } from './transparency.controller';
import { TransparencyService } from './transparency.service';

/**
 * The justice system's requests, as the ccj circle receives them, with the authority's documents
 * sealed; the circle's decision on each (a bound proposal), and the strict minimum disclosed when it
 * adopts compliance.
 */
@Module({
  imports: [LedgerModule, IdentityModule, ConsensusModule, IpamModule, PrivacyModule, OutboxModule, SubscribersModule],
  controllers: [LegalRequestsController, LegalRequestDeadlinesController, CompensationController, TransparencyController],
  providers: [
    LegalRequestsService,
    LegalDecisionsService,
    DisclosuresService,
    AnswerPdfService,
    RequestKeys,
    RequestTransitions,
    RequestKeyRotation,
    LegalRequestSubjects,
    GagCheck,
    LegalRequestDeadlines,
    LegalRequestCompensation,
    TransparencyService,
    LegalRequestsMemberData,
  ],
  // For the web pages, which act through the same services as the API.
  exports: [LegalRequestsService, LegalDecisionsService, DisclosuresService, AnswerPdfService, TransparencyService],
})
export class LegalRequestsModule {}
