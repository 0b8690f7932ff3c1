import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { Actor } from '../common/access';
import { DomainError } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { PAGES_PREFIX } from '../common/page-paths';
import { zodIssues } from '../common/problem.filter';
import { POSITIONS } from '../consensus/consensus-rules';
import { TakePositionSchema } from '../consensus/consensus.schemas';
import { ConsensusService } from '../consensus/consensus.service';
import { AnswerPdfService } from '../legal-requests/answer-pdf.service';
import { DisclosuresService } from '../legal-requests/disclosures.service';
import { DECISIONS } from '../legal-requests/legal-request-status';
import { LegalDecisionsService } from '../legal-requests/legal-decisions.service';
import { DecisionProposalSchema } from '../legal-requests/legal-requests.schemas';
import { LegalRequestsService } from '../legal-requests/legal-requests.service';
import { blankAsAbsent, DecisionFormDto, PositionFormDto, utcFromLocalField } from './board.schemas';
import { instant, proposalShown, requestActions, Translate } from './board-view';
import { Frame, Page } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { FormOnlyDto } from './web.schemas';

type PageRequest = FastifyRequest & { actor?: Actor };

/** The requests shown on /board: what is still to decide or answer is rarely more. */
const BOARD_LIMIT = 200;

/** A refusal shown on the form it concerns, with what was typed, instead of an error page. */
interface FormRefusal {
  form: 'decision' | 'position';
  messages: string[];
  values: Record<string, string | undefined>;
}

/**
 * The ccj circle's pages: the requests waiting for it, and each request with its decision proposal.
 * Every read and action goes through the services the API uses, with the signed-in actor, so the
 * same rules (circle membership, accreditation, blind positions, states) hold and are ledgered there.
 */
@Controller(PAGES_PREFIX)
export class BoardPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly requests: LegalRequestsService,
    private readonly decisions: LegalDecisionsService,
    private readonly disclosures: DisclosuresService,
    private readonly answers: AnswerPdfService,
    private readonly consensus: ConsensusService,
  ) {}

  @Get('board')
  @Page('ccj')
  async board(@Frame() frame: PageFrame): Promise<string> {
    const t = this.translate(frame);
    const { items, total } = await this.requests.awaitingDecision(BOARD_LIMIT);
    return this.pages.render('board/index', frame, {
      title: t('board.title'),
      requests: items.map((request) => ({
        ...request,
        kindText: t(`board.kinds.${request.kind}`),
        statusText: t(`board.statuses.${request.status}`),
        due: instant(request.dueAt),
        received: instant(request.receivedAt),
        overdue: request.deadline === 'overdue',
        dueSoon: request.deadline === 'due-soon',
      })),
      more: total > items.length ? t('board.more', { shown: items.length, total }) : null,
    });
  }

  @Get('board/requests/:id')
  @Page('ccj')
  request(@Param('id', IdParamPipe) id: string, @Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    return this.requestPage(id, frame, request.actor as Actor);
  }

  @Get('board/requests/:id/documents/:documentId')
  @Page('ccj')
  async document(
    @Param('id', IdParamPipe) id: string,
    @Param('documentId', IdParamPipe) documentId: string,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { contentType, content } = await this.requests.readDocument(id, documentId, request.actor as Actor);
    reply.header('Content-Type', contentType);
    return new StreamableFile(content, { length: content.length });
  }

  @Get('board/requests/:id/answer.pdf')
  @Page('ccj')
  async answerPdf(@Param('id', IdParamPipe) id: string, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const pdf = await this.answers.render(id, request.actor as Actor);
    reply.header('Content-Type', 'application/pdf');
    return new StreamableFile(pdf, { length: pdf.length });
  }

  @Post('board/requests/:id/proposal')
  @HttpCode(200)
  @Page('ccj')
  async propose(
    @Param('id', IdParamPipe) id: string,
    @Body() body: DecisionFormDto,
    @Frame() frame: PageFrame,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const values = { decision: body.decision, rationale: body.rationale, closesAt: body.closesAt, blind: body.blind };
    const refusal = await this.attempt(() => {
      const input = DecisionProposalSchema.parse({ decision: body.decision, rationale: body.rationale, closesAt: utcFromLocalField(body.closesAt), blind: body.blind === 'on' });
      return this.decisions.propose(id, input, request.actor as Actor);
    });
    return this.after(refusal && { form: 'decision', messages: refusal, values }, id, frame, request, reply);
  }

  @Post('board/requests/:id/proposal/:proposalId/position')
  @HttpCode(200)
  @Page('ccj')
  async takePosition(
    @Param('id', IdParamPipe) id: string,
    @Param('proposalId', IdParamPipe) proposalId: string,
    @Body() body: PositionFormDto,
    @Frame() frame: PageFrame,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const refusal = await this.attempt(() => {
      const input = TakePositionSchema.parse({ position: body.position, reason: blankAsAbsent(body.reason) });
      return this.consensus.takePosition(proposalId, input, request.actor as Actor);
    });
    return this.after(refusal && { form: 'position', messages: refusal, values: { position: body.position, reason: body.reason } }, id, frame, request, reply);
  }

  @Post('board/requests/:id/proposal/:proposalId/close')
  @HttpCode(200)
  @Page('ccj')
  async closeProposal(
    @Param('id', IdParamPipe) id: string,
    @Param('proposalId', IdParamPipe) proposalId: string,
    @Body() _body: FormOnlyDto,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    await this.consensus.close(proposalId, request.actor as Actor);
    return this.backTo(id, reply);
  }

  @Post('board/requests/:id/disclose')
  @HttpCode(200)
  @Page('ccj')
  async disclose(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.disclosures.disclose(id, request.actor as Actor);
    return this.backTo(id, reply);
  }

  @Post('board/requests/:id/answered')
  @HttpCode(200)
  @Page('ccj')
  async markAnswered(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.decisions.answer(id, request.actor as Actor);
    return this.backTo(id, reply);
  }

  @Post('board/requests/:id/close')
  @HttpCode(200)
  @Page('ccj')
  async close(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.decisions.close(id, request.actor as Actor);
    return this.backTo(id, reply);
  }

  private async requestPage(id: string, frame: PageFrame, actor: Actor, refusal?: FormRefusal): Promise<string> {
    const t = this.translate(frame);
    const view = await this.requests.show(id);
    // The consensus context decides what the viewer sees of the positions (blind until they took theirs).
    const proposal = view.decisionProposal && proposalShown(await this.consensus.get(view.decisionProposal.id, actor), actor.id, t);
    const decisionValues = refusal?.form === 'decision' ? refusal.values : {};
    const positionValues = refusal?.form === 'position' ? refusal.values : {};
    const chosenPosition = positionValues.position ?? proposal?.mine ?? undefined;
    return this.pages.render('board/request', frame, {
      title: t('board.request.title', { reference: view.reference }),
      request: {
        ...view,
        kindText: t(`board.kinds.${view.kind}`),
        statusText: t(`board.statuses.${view.status}`),
        decisionText: view.decision && t(`board.decisions.${view.decision}`),
        received: instant(view.receivedAt),
        due: instant(view.dueAt),
        disclosed: instant(view.disclosedAt),
        selectors: view.selectors.map((selector) => ({ address: selector.address, at: instant(selector.at) })),
        documents: view.documents.map((document) => ({ ...document, attached: instant(document.attachedAt), href: `/board/requests/${view.id}/documents/${document.id}` })),
        disclosures: view.disclosures.map((entry) => ({
          ...entry,
          at: instant(entry.selector.at),
          resultText: t(`board.results.${entry.result}`),
          verifiedAt: entry.result === 'match' ? instant(entry.verifiedContact.verifiedAt) : null,
        })),
      },
      proposal: proposal && { ...proposal, decisionText: t(`board.decisions.${view.decisionProposal?.decision}`), rationale: view.decisionProposal?.rationale },
      actions: requestActions(view),
      decisionChoices: DECISIONS.map((value) => ({ value, text: t(`board.decisions.${value}`), checked: (decisionValues.decision ?? 'comply') === value })),
      positionChoices: POSITIONS.map((value) => ({ value, text: t(`board.positions.${value}`), checked: chosenPosition === value })),
      decisionValues,
      positionValues,
      decisionProblems: refusal?.form === 'decision' ? refusal.messages : null,
      positionProblems: refusal?.form === 'position' ? refusal.messages : null,
    });
  }

  /**
   * Runs a form's action; a refusal of what was typed (the API's schema, or the service's 400/422) is
   * answered as its messages, for the form. Anything else (403, 404, 409) is the problem page.
   */
  private async attempt(action: () => Promise<unknown>): Promise<string[] | null> {
    try {
      await action();
      return null;
    } catch (error) {
      if (error instanceof ZodError) return zodIssues(error).map((issue) => `${issue.path}: ${issue.message}`);
      if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'unprocessable')) return [error.detail];
      throw error;
    }
  }

  private async after(refusal: FormRefusal | null, id: string, frame: PageFrame, request: PageRequest, reply: FastifyReply): Promise<string | undefined> {
    if (!refusal) return this.backTo(id, reply);
    reply.status(422);
    return this.requestPage(id, frame, request.actor as Actor, refusal);
  }

  private backTo(id: string, reply: FastifyReply): undefined {
    void reply.redirect(`/board/requests/${id}`, 303);
    return undefined;
  }

  private translate(frame: PageFrame): Translate {
    return (key, values) => this.pages.text(frame.lang, key, values);
  }
}
