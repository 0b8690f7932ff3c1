import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { ListMessagesDto, OutboxMessagePageSchema, OutboxMessageView } from './outbox.schemas';
import { OutboxService } from './outbox.service';

@ApiTags('outbox')
@Controller('outbox')
@Roles('technician', 'admin')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get('messages')
  @Operation({
    id: 'listOutboxMessages',
    summary: 'List outgoing messages',
    description:
      'Outgoing SMS, letters and e-mails, newest first, filtered by status, kind or what they were sent for: how many tries, why the last one failed. ' +
      'A failed message is one whose tries ran out; whatever asked for it (a verification) is left as it was. Never an address or a content.',
    answer: OutboxMessagePageSchema,
  })
  list(@Query() query: ListMessagesDto): Promise<Page<OutboxMessageView>> {
    return this.outbox.listMessages(query);
  }
}
