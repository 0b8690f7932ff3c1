import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger as a C2SP log, witnessed, and Lanterne as a witness of other logs.
 * - A checkpoint also carries its C2SP note signature (Ed25519 over `<origin>\n<size>\n<base64 root>\n`)
 *   and the origin it names; rows signed before have neither, and the next start signs the head again.
 * - The cosignatures witnesses returned for the ledger's checkpoints are kept, append-only like the
 *   checkpoints: they are the evidence that a witness saw this tree.
 * - A witness keeps, per log it follows, the latest checkpoint it cosigned; its row is locked by each
 *   add-checkpoint, so that two concurrent adds cannot roll the log back.
 */
export class Witnessing1764300400000 implements MigrationInterface {
  name = 'Witnessing1764300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_checkpoints
        ADD COLUMN origin text,
        ADD COLUMN note_signature bytea CHECK (octet_length(note_signature) = 64),
        ADD CONSTRAINT ledger_checkpoints_note CHECK ((origin IS NULL) = (note_signature IS NULL))`);
    await q.query(`CREATE INDEX ledger_checkpoints_noted ON ledger_checkpoints (origin, tree_size DESC, issued_at DESC) WHERE origin IS NOT NULL`);
    await q.query(`
      CREATE TABLE ledger_cosignatures (
        origin text NOT NULL,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        witness_vkey text NOT NULL,
        -- The signature line as the witness answered it, newline excluded.
        line text NOT NULL CHECK (line LIKE '— %' AND position(E'\\n' IN line) = 0),
        cosigned_at timestamptz NOT NULL,
        PRIMARY KEY (origin, witness_vkey, tree_size, root_hash)
      )`);
    await q.query(`CREATE INDEX ledger_cosignatures_tree ON ledger_cosignatures (origin, tree_size, root_hash)`);
    await q.query(`CREATE TRIGGER ledger_cosignatures_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_rewrite()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ledger_cosignatures FROM PUBLIC, CURRENT_USER`);

    await q.query(`
      CREATE TABLE witness_logs (
        origin text PRIMARY KEY,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        -- The latest cosigned checkpoint: its note with the log's verified signature and this witness's cosignature.
        checkpoint text,
        updated_at timestamptz NOT NULL,
        CHECK ((tree_size = 0) OR checkpoint IS NOT NULL)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE witness_logs`);
    await q.query(`DROP TABLE ledger_cosignatures`);
    await q.query(`DROP INDEX ledger_checkpoints_noted`);
    await q.query(`ALTER TABLE ledger_checkpoints DROP CONSTRAINT ledger_checkpoints_note, DROP COLUMN note_signature, DROP COLUMN origin`);
  }
}
