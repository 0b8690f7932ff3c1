import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { CheckpointService } from '../ledger/checkpoint.service';
import { LedgerReader } from '../ledger/ledger-reader.service';
import { purgeCutoff, RetentionPurgers } from '../privacy/retention-purgers';
import { SubscribersService } from '../subscribers/subscribers.service';
import { pseudonym, publicAdminAction, subjectOf } from './admin-actions';
import { AdminActionPage, AdminActionsQuery } from './governance.schemas';
import { forgetPseudonymKeys, pseudonymKeys } from './governance.store';

/**
 * The public log of admin actions: the ledger's entries of admin, ccj, observer and system actors,
 * as admin-actions.ts shows them, each with the leaf hash that its inclusion proof ties to a signed
 * checkpoint. A member's pseudonym key is made the first time an entry about them is shown, and
 * retention forgets it with their identity (category admin-action-pseudonyms).
 */
@Injectable()
export class AdminActionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
    private readonly checkpoints: CheckpointService,
    private readonly purgers: RetentionPurgers,
    private readonly subscribers: SubscribersService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.purgers.register('admin-action-pseudonyms', async (request) => {
      const terminated = await this.subscribers.terminatedBefore(request.em, purgeCutoff(request));
      return { count: await forgetPseudonymKeys(request.em, terminated, request.now) };
    });
  }

  async list(query: AdminActionsQuery): Promise<AdminActionPage> {
    const treeSize = query.treeSize ?? (query.proofs ? (await this.checkpoints.latest()).treeSize : await this.reader.treeSize());
    const { rows, total } = await this.reader.adminActions(treeSize, query.limit, query.offset);
    const leaves = rows.map((row) => ({ index: row.index, text: row.leaf.toString('utf8'), hash: row.leafHash.toString('hex') }));
    const subjects = [...new Set(leaves.map((leaf) => subjectOf(leaf.text)).filter((subject) => subject !== undefined))];
    const keys = await pseudonymKeys(this.dataSource.manager, subjects, this.clock.now());
    const pseudonyms = new Map(subjects.map((subject) => [subject, keys.get(subject) ? pseudonym(keys.get(subject) as Buffer, subject) : null]));
    const proofs = query.proofs ? await this.reader.inclusionProofs(leaves.map((leaf) => leaf.index), treeSize) : null;
    return {
      treeSize,
      items: leaves.map((leaf) => ({ ...publicAdminAction(leaf.text, leaf.hash, pseudonyms), ...(proofs ? { inclusionProof: proofs.get(leaf.index) } : {}) })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
