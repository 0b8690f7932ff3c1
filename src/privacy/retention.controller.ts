import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { Operation } from '../openapi';
import { RetentionPoliciesService } from './retention-policies.service';
import { PolicyList, PolicyListSchema, PolicyView, PolicyViewSchema, RunReport, RunReportSchema, SetPolicyDto } from './retention.schemas';
import { RetentionService } from './retention.service';

@ApiTags('retention')
@Controller('admin/retention')
@Roles('admin')
export class RetentionController {
  constructor(
    private readonly policies: RetentionPoliciesService,
    private readonly retention: RetentionService,
  ) {}

  @Get('policies')
  @Operation({
    id: 'listRetentionPolicies',
    summary: 'Retention policies in force',
    description:
      "Each retention category with the days in force, the jurisdiction profile's figure with its source and the event it is counted from, " +
      'and the override an admin set, with who, when and why.',
    answer: PolicyListSchema,
  })
  list(): Promise<PolicyList> {
    return this.policies.list();
  }

  @Put('policies/:category')
  @Operation({
    id: 'setRetentionPolicy',
    summary: "Override a category's retention",
    description:
      "Sets how many days a category is kept after its starting event, in place of the profile's figure; recorded in the ledger. " +
      "A value longer than the profile's without a justification is a 422; an unknown category is a 404.",
    answer: PolicyViewSchema,
    problems: [404, 422],
  })
  set(@Param('category') category: string, @Body() body: SetPolicyDto, @CurrentActor() actor: Actor): Promise<PolicyView> {
    return this.policies.set(category, body, actor);
  }

  @Post('run')
  @HttpCode(200)
  @Operation({
    id: 'runRetention',
    summary: 'Run the retention purge now',
    description:
      'Purges every category past its policy, as the daily job does, and answers how many records each purged; ' +
      "erased identities lose their data key, and the ledger's personal values about them are erased (the tree still verifies). Recorded in the ledger.",
    answer: RunReportSchema,
  })
  run(@CurrentActor() actor: Actor): Promise<RunReport> {
    return this.retention.run(actor);
  }
}
