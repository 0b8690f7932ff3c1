import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { DOCUMENT_TYPES } from './document-type';
import {
  AttachDocumentDto,
  CreatedLegalRequestSchema,
  CreateLegalRequestDto,
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
  ListLegalRequestsDto,
} from './legal-requests.schemas';
import { LegalRequestsService } from './legal-requests.service';

const DocumentViewSchema = LegalRequestViewSchema.shape.documents.element;

@ApiTags('legal-requests')
@Controller('legal-requests')
@Roles('ccj')
export class LegalRequestsController {
  constructor(private readonly requests: LegalRequestsService) {}

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
}
