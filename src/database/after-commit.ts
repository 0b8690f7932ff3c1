import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * Runs work once what a transaction wrote is visible: right away outside a transaction, after the
 * outermost commit inside one, never after a rollback. Contexts use it to add the job that reads a row
 * they have just written (a job added earlier would run before its row exists). TypeORM tells its
 * subscribers of every commit and rollback, savepoints included, with the query runner they happened
 * on; the work waits there. What a stopped process never ran is the business of each context's sweep.
 */
@Injectable()
export class AfterCommit implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, (() => void)[]>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  run(em: EntityManager, work: () => void): void {
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) {
      work();
      return;
    }
    const queued = this.pending.get(runner) ?? [];
    queued.push(work);
    this.pending.set(runner, queued);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not a commit yet: the outer transaction may still roll back.
    if (event.queryRunner.isTransactionActive) return;
    const queued = this.pending.get(event.queryRunner) ?? [];
    this.pending.delete(event.queryRunner);
    for (const work of queued) work();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // Work from a savepoint rolled back inside a transaction that commits stays: its job finds no row and ends.
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }
}

@Global()
@Module({ providers: [AfterCommit], exports: [AfterCommit] })
export class AfterCommitModule {}
