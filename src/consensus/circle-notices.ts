import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../auth/accounts.service';
import { Clock } from '../common/clock';
import { MessageRenderers } from '../outbox/message-renderers';
import { RenderedMessage } from '../outbox/outbox-message';
import { OutboxService } from '../outbox/outbox.service';
import { CircleNoticeKind, NoticeParams, renderNotice } from './circle-notice-texts';
import type { Circle } from './consensus-rules';
import { findNotice, insertNotice, membersWithEmail } from './consensus.store';

/** Notices go out in the association's language unless the account chose another. */
const DEFAULT_LANGUAGE = 'fr';

/**
 * Tells a circle's members by e-mail, through the outbox, in the transaction of what they are told
 * of: a notice exists if and only if the event committed. Members without an e-mail address are not
 * told (they see the proposal in Lanterne); an address changed or an account revoked before sending
 * is honoured, since the message is rendered at send time.
 */
@Injectable()
export class CircleNotices {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    renderers: MessageRenderers,
  ) {
    renderers.register('circle-notice', (ref) => this.render(ref));
  }

  /** Answers how many members were told. */
  async notify(em: EntityManager, circle: Circle, kind: CircleNoticeKind, params: NoticeParams): Promise<number> {
    const members = await membersWithEmail(em, circle);
    const createdAt = this.clock.now();
    for (const accountId of members) {
      const id = await insertNotice(em, { circle, accountId, kind, params: { ...params, circle }, createdAt });
      await this.outbox.enqueue(em, { kind: 'circle-notice', channel: 'email', ref: id });
    }
    return members.length;
  }

  async render(noticeId: string): Promise<RenderedMessage | null> {
    const notice = await findNotice(this.dataSource.manager, noticeId);
    if (!notice) return null;
    const contact = await this.accounts.contact(notice.accountId);
    if (!contact.active || !contact.email) return null;
    const language = contact.language ?? DEFAULT_LANGUAGE;
    const { subject, body } = renderNotice(notice.kind, notice.params, language);
    return { channel: 'email', to: contact.email, language, subject, body };
  }
}
