import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { ChangeDueAtDto, DueAtView, DueAtViewSchema } from './legal-request-deadlines.schemas';
import { LegalRequestDeadlines } from './legal-request-deadlines.service';

@ApiTags('legal-requests')
@Controller('legal-requests')
@Roles('ccj')
export class LegalRequestDeadlinesController {
  constructor(private readonly deadlines: LegalRequestDeadlines) {}

  @Put(':id/due-at')
  @Operation({
    id: 'changeLegalRequestDueAt',
    summary: "Change a request's deadline",
    description:
      'When the authority grants more time (or sets a deadline it had not given). Recorded in the ledger with the old and new deadline. ' +
      'The ccj circle is reminded three days before the new deadline and when it passes, at once if it is already that near. ' +
      'A request already answered or closed is a 409.',
    answer: DueAtViewSchema,
    problems: [404, 409],
  })
  changeDueAt(@Param('id', IdParamPipe) id: string, @Body() body: ChangeDueAtDto, @CurrentActor() actor: Actor): Promise<DueAtView> {
    return this.deadlines.changeDueAt(id, body.dueAt, actor);
  }
}
