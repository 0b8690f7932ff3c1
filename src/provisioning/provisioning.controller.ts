import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { Operation } from '../openapi';
import { ChangeFeedQueryDto, ChangeFeedView, ChangeFeedViewSchema } from './provisioning.schemas';
import { ProvisioningService } from './provisioning.service';

@ApiTags('provisioning')
@Controller('provisioning')
@Roles('technician', 'admin')
export class ProvisioningController {
  constructor(private readonly provisioning: ProvisioningService) {}

  @Get('changes')
  @Operation({
    id: 'listProvisioningChanges',
    summary: 'Changes routers must apply',
    description:
      'The change feed: every assignment, release, PTR and peer change after `since`, oldest first, so that a router that missed a webhook ' +
      'reconciles. Pass the answer\'s `next` as `since` until a page comes back shorter than `limit`. A sequence number, once seen, is never ' +
      'followed by a smaller one appearing later. Changes stay LANTERNE_PROVISIONING_FEED_DAYS days; a `since` from before the pruned part is a 409 ' +
      '(`prunedThrough` says where to follow from after a full resynchronisation).',
    answer: ChangeFeedViewSchema,
    problems: [409],
  })
  changes(@Query() query: ChangeFeedQueryDto): Promise<ChangeFeedView> {
    return this.provisioning.changes(query);
  }
}
