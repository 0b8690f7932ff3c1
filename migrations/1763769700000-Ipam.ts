import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IP pools and assignments. The database, not the code, makes a double assignment impossible:
 * pools never overlap, an assignment is one aligned block of its pool, and two assignments whose
 * prefixes overlap cannot both be held (validity plus quarantine) at any instant.
 */
export class Ipam1763769700000 implements MigrationInterface {
  name = 'Ipam1763769700000';

  async up(q: QueryRunner): Promise<void> {
    // chunk_length: pools are cut into chunks of up to 2^10 blocks, the unit of the free-block summary below.
    await q.query(`
      CREATE TABLE ip_pools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix cidr NOT NULL,
        family text NOT NULL GENERATED ALWAYS AS (CASE family(prefix) WHEN 4 THEN 'ipv4' ELSE 'ipv6' END) STORED,
        assign_length integer NOT NULL,
        quarantine_days integer NOT NULL DEFAULT 30 CHECK (quarantine_days BETWEEN 0 AND 3650),
        chunk_length integer NOT NULL GENERATED ALWAYS AS (greatest(masklen(prefix), assign_length - 10)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (assign_length BETWEEN masklen(prefix) AND CASE family(prefix) WHEN 4 THEN 32 ELSE 128 END),
        -- IPv4 pools shorter than /31 never assign their first and last block: at least one must remain.
        CHECK (family(prefix) = 6 OR masklen(prefix) >= 31 OR assign_length - masklen(prefix) >= 2),
        CONSTRAINT ip_pools_name_key UNIQUE (name),
        CONSTRAINT ip_pools_shape_key UNIQUE (id, prefix, assign_length),
        CONSTRAINT ip_pools_no_overlap EXCLUDE USING gist (prefix inet_ops WITH &&)
      )`);

    // pool_prefix and assign_length repeat the pool's (pinned by the foreign key) so that plain
    // CHECKs keep every row an aligned, usable block of its pool.
    // held = validity plus quarantine; quarantine_until is fixed at release from the pool's quarantine_days.
    await q.query(`
      CREATE TABLE ip_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL,
        pool_prefix cidr NOT NULL,
        assign_length integer NOT NULL,
        subscription_id uuid NOT NULL REFERENCES subscriptions (id),
        prefix cidr NOT NULL,
        chunk cidr NOT NULL GENERATED ALWAYS AS (set_masklen(prefix, greatest(masklen(pool_prefix), assign_length - 10))) STORED,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz,
        quarantine_until timestamptz,
        validity tstzrange NOT NULL GENERATED ALWAYS AS (tstzrange(valid_from, valid_until, '[)')) STORED,
        held tstzrange NOT NULL GENERATED ALWAYS AS (tstzrange(valid_from, quarantine_until, '[)')) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ip_assignments_pool_fkey FOREIGN KEY (pool_id, pool_prefix, assign_length) REFERENCES ip_pools (id, prefix, assign_length),
        CONSTRAINT ip_assignments_block_of_pool CHECK (masklen(prefix) = assign_length AND prefix <<= pool_prefix),
        CONSTRAINT ip_assignments_not_reserved CHECK (
          family(pool_prefix) = 6 OR masklen(pool_prefix) >= 31
          OR (host(prefix) <> host(pool_prefix) AND host(broadcast(prefix)) <> host(broadcast(pool_prefix)))
        ),
        CONSTRAINT ip_assignments_release_complete CHECK ((valid_until IS NULL) = (quarantine_until IS NULL)),
        CONSTRAINT ip_assignments_ordered CHECK (valid_until >= valid_from AND quarantine_until >= valid_until),
        -- prefix inet_ops: btree_gist's inet classes get && wrong. chunk (gist_cidr_ops, =) comes first
        -- because two blocks that overlap are equal, hence in the same chunk; it keeps the GiST tree
        -- partitioned, so that a check reads a few pages instead of the ~100 that inet keys of dense
        -- /32s need on their own.
        CONSTRAINT ip_assignments_no_double_assignment EXCLUDE USING gist (chunk gist_cidr_ops WITH =, prefix inet_ops WITH &&, held WITH &&)
      )`);
    await q.query(`CREATE INDEX ip_assignments_chunk_idx ON ip_assignments (pool_id, chunk, prefix) INCLUDE (quarantine_until)`);
    await q.query(`CREATE INDEX ip_assignments_subscription_idx ON ip_assignments (subscription_id, valid_from)`);
    await q.query(`CREATE INDEX ip_assignments_active_idx ON ip_assignments (pool_id) WHERE quarantine_until IS NULL`);
    await q.query(`CREATE INDEX ip_assignments_released_idx ON ip_assignments (pool_id, quarantine_until) WHERE quarantine_until IS NOT NULL`);

    // Summary per chunk that lets the lowest-free search skip full chunks without reading their
    // blocks: used_blocks = blocks with any assignment, free_from = earliest instant from which one
    // of them is free for good (min over blocks of their last quarantine end; infinity while all
    // are held). Time-independent, so no job has to refresh it when a quarantine ends.
    await q.query(`
      CREATE TABLE ip_pool_chunks (
        pool_id uuid NOT NULL REFERENCES ip_pools (id) ON DELETE CASCADE,
        chunk cidr NOT NULL,
        used_blocks integer NOT NULL,
        free_from timestamptz NOT NULL,
        PRIMARY KEY (pool_id, chunk)
      )`);
    await q.query(`
      CREATE FUNCTION ip_pool_chunk_recount(p_pool uuid, p_chunk cidr) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ip_pool_chunks (pool_id, chunk, used_blocks, free_from) VALUES (p_pool, p_chunk, 0, 'infinity') ON CONFLICT DO NOTHING;
        -- Lock, then count in a separate statement: under READ COMMITTED it takes a snapshot after the
        -- lock, so it sees the rows of whichever writer held the lock before.
        PERFORM FROM ip_pool_chunks WHERE pool_id = p_pool AND chunk = p_chunk FOR UPDATE;
        UPDATE ip_pool_chunks SET (used_blocks, free_from) = (
          SELECT count(*), coalesce(min(block_free_from), 'infinity')
          FROM (
            SELECT max(coalesce(quarantine_until, 'infinity')) AS block_free_from
            FROM ip_assignments WHERE pool_id = p_pool AND chunk = p_chunk GROUP BY prefix
          ) blocks)
        WHERE pool_id = p_pool AND chunk = p_chunk;
      END $$`);
    await q.query(`
      CREATE FUNCTION ip_assignments_recount_chunks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Chunks in a fixed order, so that two statements never wait on each other's chunks crosswise.
        IF TG_OP = 'INSERT' THEN
          PERFORM ip_pool_chunk_recount(pool_id, chunk) FROM (SELECT DISTINCT pool_id, chunk FROM new_rows ORDER BY 1, 2) touched;
        ELSIF TG_OP = 'UPDATE' THEN
          PERFORM ip_pool_chunk_recount(pool_id, chunk)
          FROM (SELECT pool_id, chunk FROM new_rows UNION SELECT pool_id, chunk FROM old_rows ORDER BY 1, 2) touched;
        ELSE
          PERFORM ip_pool_chunk_recount(pool_id, chunk) FROM (SELECT DISTINCT pool_id, chunk FROM old_rows ORDER BY 1, 2) touched;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER ip_assignments_chunks_after_insert AFTER INSERT ON ip_assignments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ip_assignments_recount_chunks()`);
    await q.query(`CREATE TRIGGER ip_assignments_chunks_after_update AFTER UPDATE ON ip_assignments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ip_assignments_recount_chunks()`);
    await q.query(`CREATE TRIGGER ip_assignments_chunks_after_delete AFTER DELETE ON ip_assignments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ip_assignments_recount_chunks()`);
    // TRUNCATE fires no row-level or transition-table trigger: the summary goes with the rows.
    await q.query(`CREATE FUNCTION ip_pool_chunks_clear() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM ip_pool_chunks; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER ip_assignments_chunks_after_truncate AFTER TRUNCATE ON ip_assignments FOR EACH STATEMENT EXECUTE FUNCTION ip_pool_chunks_clear()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ip_assignments`);
    await q.query(`DROP FUNCTION ip_assignments_recount_chunks()`);
    await q.query(`DROP FUNCTION ip_pool_chunks_clear()`);
    await q.query(`DROP TABLE ip_pool_chunks`);
    await q.query(`DROP FUNCTION ip_pool_chunk_recount(uuid, cidr)`);
    await q.query(`DROP TABLE ip_pools`);
  }
}
