import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident ledger (RFC 6962 Merkle log). PostgreSQL itself keeps it append-only and
 * gap-free: leaves, tree nodes and signed checkpoints refuse UPDATE, DELETE and TRUNCATE; the head
 * (the tree size) moves only when contiguous leaves are inserted after it; personal values held
 * beside the leaves can only be erased.
 */
export class Ledger1763769800000 implements MigrationInterface {
  name = 'Ledger1763769800000';

  async up(q: QueryRunner): Promise<void> {
    // One row: appends lock it (SELECT ... FOR UPDATE), which serialises them.
    await q.query(`
      CREATE TABLE ledger_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        tree_size bigint NOT NULL CHECK (tree_size >= 0)
      )`);
    await q.query(`INSERT INTO ledger_head (tree_size) VALUES (0)`);
    await q.query(`
      CREATE TABLE ledger_leaves (
        index bigint PRIMARY KEY CHECK (index >= 0),
        leaf bytea NOT NULL,
        leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
        subject uuid
      )`);
    // "Who looked at me and why": a member's entries are found by their subscriber id.
    await q.query(`CREATE INDEX ledger_leaves_subject_idx ON ledger_leaves (subject, index) WHERE subject IS NOT NULL`);
    // Complete aligned subtrees (level 0 = leaf hashes): roots and proofs read O(log n) of them.
    await q.query(`
      CREATE TABLE ledger_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
        index bigint NOT NULL CHECK (index >= 0),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (level, index)
      )`);
    // No foreign key to ledger_leaves: its check would need UPDATE rights on the leaves, revoked below.
    await q.query(`
      CREATE TABLE ledger_personal_values (
        leaf_index bigint NOT NULL CHECK (leaf_index >= 0),
        name text NOT NULL,
        sealed bytea,
        erased_at timestamptz,
        PRIMARY KEY (leaf_index, name),
        CHECK ((sealed IS NULL) = (erased_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE ledger_checkpoints (
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        issued_at timestamptz NOT NULL CHECK (issued_at = to_timestamp(floor(extract(epoch FROM issued_at)))),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        signature bytea NOT NULL CHECK (octet_length(signature) = 64),
        public_key text NOT NULL,
        PRIMARY KEY (tree_size, issued_at)
      )`);

    await q.query(`
      CREATE FUNCTION ledger_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
      END $$`);
    for (const table of ['ledger_leaves', 'ledger_nodes', 'ledger_checkpoints']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_rewrite()`);
    }

    // Inserted leaves must start at the head and leave no gap; the head then moves past them.
    await q.query(`
      CREATE FUNCTION ledger_extend_head() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        first_index bigint;
        last_index bigint;
        added bigint;
      BEGIN
        SELECT min(index), max(index), count(*) INTO first_index, last_index, added FROM appended;
        IF added = 0 THEN
          RETURN NULL;
        END IF;
        UPDATE ledger_head SET tree_size = last_index + 1 WHERE tree_size = first_index AND last_index - first_index + 1 = added;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'ledger leaves % to % do not extend the log without a gap', first_index, last_index;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_leaves_extend_head AFTER INSERT ON ledger_leaves
      REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION ledger_extend_head()`);
    // Nested depth 2 is the UPDATE issued by ledger_extend_head; any other change of the head is refused.
    await q.query(`
      CREATE FUNCTION ledger_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND pg_trigger_depth() >= 2 AND NEW.tree_size >= OLD.tree_size THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the ledger head moves only by appending leaves';
      END $$`);
    await q.query(`CREATE TRIGGER ledger_head_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_head FOR EACH ROW EXECUTE FUNCTION ledger_head_guard()`);
    await q.query(`CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_rewrite()`);

    // An append's first step: lock the head, then read the right edge of the tree at that size (bit l
    // of the size set ⇒ node (l, (size >> l) − 1)). One round trip; PL/pgSQL keeps both plans for the
    // session, and its second statement takes a snapshot of its own, so it sees the nodes of an append
    // the lock had to wait for.
    await q.query(`
      CREATE FUNCTION ledger_lock_right_edge() RETURNS TABLE (head_size bigint, node_level smallint, node_index bigint, node_hash bytea)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        size bigint;
      BEGIN
        SELECT h.tree_size INTO size FROM ledger_head h FOR UPDATE;
        RETURN QUERY
          SELECT size, n.level, n.index, n.hash FROM ledger_nodes n
           WHERE (n.level, n.index) IN (SELECT l::smallint, (size >> l) - 1 FROM generate_series(0, 62) AS l WHERE (size >> l) & 1 = 1);
        IF NOT FOUND THEN
          RETURN QUERY SELECT size, NULL::smallint, NULL::bigint, NULL::bytea;
        END IF;
      END $$`);

    // Retention erases a value and its salt; the commitment in the leaf, and so every hash, stays.
    await q.query(`
      CREATE FUNCTION ledger_personal_values_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.leaf_index = OLD.leaf_index AND NEW.name = OLD.name
           AND OLD.sealed IS NOT NULL AND NEW.sealed IS NULL AND NEW.erased_at IS NOT NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a personal value held beside the ledger can only be erased';
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_personal_values_erase_only BEFORE UPDATE OR DELETE ON ledger_personal_values
      FOR EACH ROW EXECUTE FUNCTION ledger_personal_values_erase_only()`);
    await q.query(`
      CREATE TRIGGER ledger_personal_values_no_truncate BEFORE TRUNCATE ON ledger_personal_values
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_rewrite()`);

    // The application role (the owner running this migration) keeps no right to rewrite history;
    // a superuser is not bound by privileges, which is why the triggers above exist as well.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ledger_leaves, ledger_nodes, ledger_checkpoints FROM PUBLIC, CURRENT_USER`);
    await q.query(`REVOKE DELETE, TRUNCATE ON ledger_personal_values, ledger_head FROM PUBLIC, CURRENT_USER`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_checkpoints`);
    await q.query(`DROP TABLE ledger_personal_values`);
    await q.query(`DROP TABLE ledger_nodes`);
    await q.query(`DROP TABLE ledger_leaves`);
    await q.query(`DROP TABLE ledger_head`);
    await q.query(`DROP FUNCTION ledger_personal_values_erase_only()`);
    await q.query(`DROP FUNCTION ledger_lock_right_edge()`);
    await q.query(`DROP FUNCTION ledger_head_guard()`);
    await q.query(`DROP FUNCTION ledger_extend_head()`);
    await q.query(`DROP FUNCTION ledger_refuse_rewrite()`);
  }
}
