import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { AnswerPdfService } from './answer-pdf.service';
import { DisclosuresService } from './disclosures.service';
import { DOCUMENT_TYPES } from './document-type';
import { LegalDecisionsService } from './legal-decisions.service';
import { NO_INTERCEPTION_STATEMENT, NO_TRAFFIC_DATA_STATEMENT } from './legal-request-kinds';
import {
  AnswerPdfSchema,
  AttachDocumentDto,
  CreatedLegalRequestSchema,
  CreateLegalRequestDto,
  DecisionProposalDto,
  DisclosureAnswerSchema,
  DisclosureEntry,
  DOCUMENT_BODY_LIMIT_BYTES,
  DOCUMENT_MAX_BYTES,
  DocumentFileSchema,
  DocumentView,
  LegalBasesSchema,
  LegalBasesView,
  LegalRequestPageSchema,
  LegalRequestSummary,
  LegalRequestView,
  LegalRequestViewSchema,
  LegalRequestSummarySchema,
  ListLegalRequestsDto,
  OpenedDecision,
  OpenedDecisionSchema,
} from './legal-requests.schemas';
import { LegalRequestsService, summary } from './legal-requests.service';

const PDF = 'application/pdf';

const DocumentViewSchema = LegalRequestViewSchema.shape.documents.element;

@ApiTags('legal-requests')
@Controller('legal-requests')
@Roles('ccj')
export class LegalRequestsController {
  constructor(
    private readonly requests: LegalRequestsService,
    private readonly decisions: LegalDecisionsService,
    private readonly disclosures: DisclosuresService,
    private readonly answers: AnswerPdfService,
  ) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'receiveLegalRequest',
    summary: 'Record a request from the justice system',
    description:
      'Records who asks, the reference, the legal basis the order cites (free text), the kind and the selectors (an IPv4 or IPv6 address at an instant). ' +
      'Every instant must carry its offset and is stored in UTC; a local time without offset is a 400. Recorded in the ledger (ids and kind only).',
    answer: CreatedLegalRequestSchema,
  })
  receive(@Body() body: CreateLegalRequestDto, @CurrentActor() actor: Actor): Promise<{ id: string; status: 'received' }> {
    return this.requests.receive(body, actor);
  }

  @Get()
  @Operation({
    id: 'listLegalRequests',
    summary: 'Legal requests',
    description: 'Latest received first, without their selectors and documents. With `dueBefore`, what is due: the requests with a deadline before it, nearest first; `status` narrows either.',
    answer: LegalRequestPageSchema,
  })
  list(@Query() query: ListLegalRequestsDto): Promise<Page<LegalRequestSummary>> {
    return this.requests.list(query);
  }

  // Before :id, which would otherwise take "legal-bases" for an id.
  @Get('legal-bases')
  @Operation({
    id: 'listLegalBases',
    summary: 'The legal bases requests usually cite',
    description: "The known bases of the jurisdiction profile in force (LANTERNE_JURISDICTION), each with the kinds of request it allows and its source.",
    answer: LegalBasesSchema,
  })
  legalBases(): LegalBasesView {
    return this.requests.knownLegalBases();
  }

  @Get(':id')
  @Operation({
    id: 'getLegalRequest',
    summary: 'A legal request',
    description: 'The request, its selectors in UTC and its documents (without their contents); its proposal and disclosures once there are some.',
    answer: LegalRequestViewSchema,
    problems: [404],
  })
  show(@Param('id', IdParamPipe) id: string): Promise<LegalRequestView> {
    return this.requests.show(id);
  }

  @Post(':id/documents')
  @HttpCode(201)
  @RouteConfig({ bodyLimit: DOCUMENT_BODY_LIMIT_BYTES })
  @Operation({
    id: 'attachLegalRequestDocument',
    summary: "Attach the authority's document",
    description:
      `The written, reasoned order (or any document of the request) as JSON: \`{filename, contentBase64}\`, at most ${DOCUMENT_MAX_BYTES} bytes decoded. ` +
      'Its type is read from its bytes (PDF, PNG or JPEG); anything else is a 422, whatever its name. Stored sealed under the request key; recorded in the ledger.',
    answer: DocumentViewSchema,
    problems: [404, 422],
  })
  attach(@Param('id', IdParamPipe) id: string, @Body() body: AttachDocumentDto, @CurrentActor() actor: Actor): Promise<DocumentView> {
    return this.requests.attach(id, body, actor);
  }

  @Get(':id/documents/:documentId')
  @Operation({
    id: 'readLegalRequestDocument',
    summary: "Read the authority's document",
    description: 'The document decrypted, byte for byte as attached, with the content type read from its bytes. Each reading is recorded in the ledger.',
    answer: DocumentFileSchema,
    mediaType: DOCUMENT_TYPES,
    problems: [404],
  })
  async readDocument(@Param('id', IdParamPipe) id: string, @Param('documentId', IdParamPipe) documentId: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const { contentType, content } = await this.requests.readDocument(id, documentId, actor);
    return new StreamableFile(content, { type: contentType, length: content.length });
  }

  @Post(':id/decision-proposal')
  @HttpCode(201)
  @Operation({
    id: 'proposeLegalDecision',
    summary: 'Put a decision on the request to the ccj circle',
    description:
      'Opens a ccj proposal bound to the request (its title and body say the request\'s kind, authority, reference, legal basis, the decision and its rationale) ' +
      'and moves the request from received to under-review, in one transaction. Adopted, the request is decided with that decision; rejected, it is received ' +
      'again and another proposal may be opened; every proposal stays as history. Only a ccj circle member with a valid accreditation may open it (403 naming ' +
      'the expiry otherwise); a request in another state than received is a 409 naming both states; a `closesAt` not in the future is a 422.',
    answer: OpenedDecisionSchema,
    problems: [404, 409, 422],
  })
  propose(@Param('id', IdParamPipe) id: string, @Body() body: DecisionProposalDto, @CurrentActor() actor: Actor): Promise<OpenedDecision> {
    return this.decisions.propose(id, body, actor);
  }

  @Post(':id/disclosures')
  @HttpCode(201)
  @Operation({
    id: 'discloseLegalRequest',
    summary: 'Execute an adopted comply decision',
    description:
      'Answers one entry per selector and nothing else: `{selector, result: "match", memberNumber, legalName, verifiedContact: {method, value, verifiedAt}}` ' +
      'for the holder of the address at that instant with a verified legal name, `{selector, result: "no-match"}` otherwise (no holder, a purged history, ' +
      'no verified identity). Never an e-mail, another address or equipment. Each IP-history read, identity read and match is recorded in the ledger under ' +
      'the request\'s legal basis, and the whole as `legal-request.disclosed`; the request becomes answered. The answer is kept sealed under the request key: ' +
      'asking again answers the same entries (200) without reading or recording anything. ' +
      `A traffic-data request answers \`{selector, result: "no-data"}\` for each selector; its view and printed answer state: "${NO_TRAFFIC_DATA_STATEMENT}" ` +
      `An interception request is always a 409: "${NO_INTERCEPTION_STATEMENT}" Without an adopted comply decision, a 409 naming the state. ` +
      'Only a ccj circle member with a valid accreditation executes it (403 naming the expiry otherwise).',
    answer: DisclosureAnswerSchema,
    also: [{ status: 200, description: 'Disclosed already: the same entries, nothing read again.', schema: DisclosureAnswerSchema }],
    problems: [404, 409],
  })
  async disclose(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<DisclosureEntry[]> {
    const { entries, created } = await this.disclosures.disclose(id, actor);
    reply.status(created ? 201 : 200);
    return entries;
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Operation({
    id: 'answerLegalRequest',
    summary: 'Record that the contest or refusal went to the authority',
    description:
      'decided → answered, for a contest or refuse decision; a comply decision is answered by its disclosure (409). Any other state is a 409 naming both states. ' +
      'Recorded in the ledger; only a ccj circle member with a valid accreditation (403 naming the expiry otherwise).',
    answer: LegalRequestSummarySchema,
    problems: [404, 409],
  })
  async answer(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<LegalRequestSummary> {
    return summary(await this.decisions.answer(id, actor));
  }

  @Post(':id/close')
  @HttpCode(200)
  @Operation({
    id: 'closeLegalRequest',
    summary: 'Close an answered request',
    description:
      'answered → closed: nothing more to do, and the retention of the request\'s records counts from here. Any other state is a 409 naming both states. ' +
      'Recorded in the ledger; only a ccj circle member with a valid accreditation (403 naming the expiry otherwise).',
    answer: LegalRequestSummarySchema,
    problems: [404, 409],
  })
  async close(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<LegalRequestSummary> {
    return summary(await this.decisions.close(id, actor));
  }

  @Get(':id/answer.pdf')
  @Header('content-type', PDF)
  @Operation({
    id: 'printLegalRequestAnswer',
    summary: 'Print the answer to the authority',
    description:
      'A4: the association, the authority and its reference, the legal basis, each selector\'s result, the ledger index of the disclosure and a signed ' +
      'checkpoint covering it (tree size, root hash, timestamp, signature, public key), so the association can later prove what it sent. ' +
      'Before the disclosure (and for a contest or refusal, which the circle writes itself) a 409. Each printing is recorded in the ledger.',
    answer: AnswerPdfSchema,
    mediaType: PDF,
    problems: [404, 409],
  })
  async answerPdf(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    return new StreamableFile(await this.answers.render(id, actor));
  }
}
