import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import {
  ConfirmedVerificationSchema,
  ConfirmVerificationDto,
  LetterPdfSchema,
  LettersQueryDto,
  ListVerificationsDto,
  StartedVerificationSchema,
  StartedVerificationView,
  StartVerificationDto,
  VerificationPageSchema,
  VerificationView,
  VerificationViewSchema,
} from './identity.schemas';
import { VerificationMessages } from './verification-messages.service';
import { VerificationsService } from './verifications.service';

const PDF = 'application/pdf';

@ApiTags('verifications')
@Controller()
@Roles('technician', 'admin')
export class VerificationsController {
  constructor(
    private readonly verifications: VerificationsService,
    private readonly messages: VerificationMessages,
  ) {}

  @Post('subscribers/:id/verifications')
  @HttpCode(201)
  @Operation({
    id: 'startVerification',
    summary: "Verify a member's phone or postal address",
    description:
      'Sends a 6-digit code by SMS (valid 15 minutes) or by letter (valid 30 days) through the outbox. The phone is validated and kept as E.164; ' +
      'the postal code is checked by country (BE, FR, LU, NL, DE, CH). What is being verified is sealed in the vault; the answer holds none of it. ' +
      'The contact verified earlier stays until this verification succeeds. A terminated member is a 409.',
    answer: StartedVerificationSchema,
    problems: [409],
  })
  start(@Param('id', IdParamPipe) subscriberId: string, @Body() body: StartVerificationDto, @CurrentActor() actor: Actor): Promise<StartedVerificationView> {
    return this.verifications.start(subscriberId, body, actor);
  }

  @Get('subscribers/:id/verifications')
  @Operation({ id: 'listVerifications', summary: "A member's verifications", description: 'Latest first; never a contact or a code.', answer: VerificationPageSchema })
  async list(@Param('id', IdParamPipe) subscriberId: string, @Query() query: ListVerificationsDto): Promise<Page<VerificationView>> {
    const page = await this.verifications.listOf(subscriberId, query);
    return { ...page, items: await Promise.all(page.items.map((v) => this.verifications.view(v))) };
  }

  @Post('verifications/:id/confirm')
  @HttpCode(200)
  @Roles('member', 'technician')
  @Operation({
    id: 'confirmVerification',
    summary: 'Type the code received',
    description:
      'A right code seals the verified contact (and legal name) in the vault, replacing the earlier one, erases the code and makes a pending member active. ' +
      'A wrong code is a 422 with `attemptsLeft`; the 5th locks the verification. A verification that is verified, locked or expired is a 409. ' +
      'A member may only confirm their own (403 otherwise). Of concurrent confirmations of one code, exactly one succeeds.',
    answer: ConfirmedVerificationSchema,
    problems: [409, 422],
  })
  async confirm(@Param('id', IdParamPipe) id: string, @Body() body: ConfirmVerificationDto, @CurrentActor() actor: Actor): Promise<{ status: 'verified' }> {
    await this.verifications.confirm(id, body.code, actor);
    return { status: 'verified' };
  }

  @Post('verifications/:id/resend')
  @HttpCode(200)
  @Operation({
    id: 'resendVerification',
    summary: 'Send the code again',
    description:
      'Sends the same code again (its expiry does not move): at most 3 sends per verification, texts at least 60 s apart; otherwise a 429 with `Retry-After`. ' +
      'A verification that is no longer pending is a 409.',
    answer: VerificationViewSchema,
    problems: [409],
  })
  async resend(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<VerificationView> {
    return this.verifications.view(await this.verifications.resend(id, actor));
  }

  // Before verifications/:id, which would otherwise take "letters.pdf" for an id.
  @Get('verifications/letters.pdf')
  @Roles('technician')
  @Header('content-type', PDF)
  @Operation({
    id: 'printPendingLetters',
    summary: 'Print the pending letters',
    description:
      'Every pending postal verification (started since `since`, when given: the day\'s letters) as one A4 PDF, one page per letter, oldest first. ' +
      'Each printed letter is recorded in the ledger. None to print is a 409.',
    answer: LetterPdfSchema,
    mediaType: PDF,
    problems: [409],
  })
  async letters(@Query() query: LettersQueryDto, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    return new StreamableFile(await this.messages.pendingLettersPdf(actor, query.since));
  }

  @Get('verifications/:id')
  @Operation({
    id: 'getVerification',
    summary: 'A verification',
    description: 'Its status, attempts left, sends and the delivery state of the last send (a failed send shows here); never the contact or the code.',
    answer: VerificationViewSchema,
  })
  async get(@Param('id', IdParamPipe) id: string): Promise<VerificationView> {
    return this.verifications.view(await this.verifications.get(id));
  }

  @Get('verifications/:id/letter.pdf')
  @Roles('technician')
  @Header('content-type', PDF)
  @Operation({
    id: 'printLetter',
    summary: 'Print the letter of a postal verification',
    description: 'The A4 letter with the address and the code, while the verification is pending; the printing is recorded in the ledger. An SMS verification or one no longer pending is a 409.',
    answer: LetterPdfSchema,
    mediaType: PDF,
    problems: [409],
  })
  async letter(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    return new StreamableFile(await this.messages.letterPdf(id, actor));
  }
}
