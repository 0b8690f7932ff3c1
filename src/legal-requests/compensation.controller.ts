import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { CompensationView, CompensationViewSchema, SetCompensationDto } from './compensation.schemas';
import { LegalRequestCompensation } from './compensation.service';

@ApiTags('legal-requests')
@Controller('legal-requests')
@Roles('ccj')
export class CompensationController {
  constructor(private readonly compensation: LegalRequestCompensation) {}

  @Put(':id/compensation')
  @Operation({
    id: 'setLegalRequestCompensation',
    summary: 'Record what the authority owes for a request',
    description:
      'The fee claimed from the authority under the tariff in force (Belgium: royal decree of 9 January 2003, for art. 46bis CIC; France: the tariff of requisitions ' +
      'set under art. R213-1 CPP), and where the claim stands. Replaces what was recorded; shown in GET /legal-requests/{id}. ' +
      'The amount is a decimal string with at most two decimals; `paid` needs `paidOn`, not before `claimedOn`. Recorded in the ledger (the note as a personal value).',
    answer: CompensationViewSchema,
    problems: [404],
  })
  set(@Param('id', IdParamPipe) id: string, @Body() body: SetCompensationDto, @CurrentActor() actor: Actor): Promise<CompensationView> {
    return this.compensation.set(id, body, actor);
  }
}
