import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries withheld from their subject's access log while a hold is in force (a legal request's gag).
 * The ledger only knows a hold by kind and id; whether it is still in force is asked of the context
 * that registered the kind (src/ledger/subject-holds.ts), so there is one place that says until when.
 * The leaves are untouched: a hold hides an entry from one reader, it never changes the tree. No
 * foreign key to ledger_leaves (as ledger_personal_values has none): leaves are never deleted, and
 * one would make a TRUNCATE fail on the key before the append-only trigger could refuse it by name.
 */
export class LedgerSubjectHolds1764300900000 implements MigrationInterface {
  name = 'LedgerSubjectHolds1764300900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_subject_holds (
        leaf_index bigint NOT NULL CHECK (leaf_index >= 0),
        hold_kind text NOT NULL CHECK (hold_kind IN ('legal-request')),
        hold_id uuid NOT NULL,
        PRIMARY KEY (leaf_index, hold_kind, hold_id)
      )`);
    await q.query(`CREATE INDEX ledger_subject_holds_hold ON ledger_subject_holds (hold_kind, hold_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_subject_holds`);
  }
}
