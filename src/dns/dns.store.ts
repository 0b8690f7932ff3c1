/**
 * The DNS context's SQL, over the caller's EntityManager. Tables and constraints:
 * migrations/1764100300001-ReverseDns.ts.
 */
import type { EntityManager } from 'typeorm';

export type ClearedBecause = 'replaced' | 'cleared' | 'released';

export interface ReverseNameRow {
  id: string;
  assignment_id: string;
  address: string;
  name: string;
  set_at: Date;
}

const CURRENT = `SELECT id, assignment_id, host(address) AS address, name, set_at FROM reverse_dns_names`;

/** The current name of an address, locked until the caller commits. */
export async function lockCurrentName(em: EntityManager, address: string): Promise<ReverseNameRow | undefined> {
  const [row]: ReverseNameRow[] = await em.query(`${CURRENT} WHERE address = $1::inet AND cleared_at IS NULL FOR UPDATE`, [address]);
  return row;
}

export async function insertName(
  em: EntityManager,
  row: { assignmentId: string; assignmentPrefix: string; address: string; name: string; at: Date; setBy: string | null },
): Promise<ReverseNameRow> {
  const [inserted]: ReverseNameRow[] = await em.query(
    `INSERT INTO reverse_dns_names (assignment_id, assignment_prefix, address, name, set_at, set_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, assignment_id, host(address) AS address, name, set_at`,
    [row.assignmentId, row.assignmentPrefix, row.address, row.name, row.at, row.setBy],
  );
  return inserted;
}

/** Ends a name; it stays as history. */
export async function clearName(em: EntityManager, id: string, at: Date, because: ClearedBecause): Promise<void> {
  await em.query(`UPDATE reverse_dns_names SET cleared_at = greatest($2, set_at), cleared_because = $3 WHERE id = $1`, [id, at, because]);
}

/** Ends every current name inside an assignment; answers the addresses that had one. */
export async function clearNamesOfAssignment(em: EntityManager, assignmentId: string, at: Date): Promise<string[]> {
  const [rows]: [{ address: string }[], number] = await em.query(
    `UPDATE reverse_dns_names SET cleared_at = greatest($2, set_at), cleared_because = 'released'
     WHERE assignment_id = $1 AND cleared_at IS NULL RETURNING host(address) AS address`,
    [assignmentId, at],
  );
  return rows.map((row) => row.address);
}

export interface ReverseNameHistoryRow extends ReverseNameRow {
  cleared_at: Date | null;
  cleared_because: ClearedBecause | null;
}

/** The names on a subscription's addresses: the current ones, or every one it had, newest first. */
export async function namesOfSubscription(
  em: EntityManager,
  subscriptionId: string,
  { limit, offset, history }: { limit: number; offset: number; history: boolean },
): Promise<{ rows: ReverseNameHistoryRow[]; total: number }> {
  const from = `FROM reverse_dns_names r JOIN ip_assignments a ON a.id = r.assignment_id WHERE a.subscription_id = $1${history ? '' : ' AND r.cleared_at IS NULL'}`;
  const rows: ReverseNameHistoryRow[] = await em.query(
    `SELECT r.id, r.assignment_id, host(r.address) AS address, r.name, r.set_at, r.cleared_at, r.cleared_because ${from}
     ORDER BY ${history ? 'r.set_at DESC, r.id' : 'r.address'} LIMIT $2 OFFSET $3`,
    [subscriptionId, limit, offset],
  );
  const [{ total }]: { total: string }[] = await em.query(`SELECT count(*) AS total ${from}`, [subscriptionId]);
  return { rows, total: Number(total) };
}

/** Every name ever set on the addresses of these subscriptions (still retained), oldest first. */
export function namesOfSubscriptions(em: EntityManager, subscriptionIds: readonly string[]): Promise<ReverseNameHistoryRow[]> {
  return em.query(
    `SELECT r.id, r.assignment_id, host(r.address) AS address, r.name, r.set_at, r.cleared_at, r.cleared_because
       FROM reverse_dns_names r JOIN ip_assignments a ON a.id = r.assignment_id
      WHERE a.subscription_id = ANY ($1::uuid[]) ORDER BY r.set_at, r.id`,
    [subscriptionIds],
  );
}

/** Current names inside a zone's prefix. */
export function currentNamesWithin(em: EntityManager, prefix: string): Promise<{ address: string; name: string }[]> {
  return em.query(`SELECT host(address) AS address, name FROM reverse_dns_names WHERE cleared_at IS NULL AND address <<= $1::cidr`, [prefix]);
}

/**
 * Bumps a zone's SOA serial: the date form YYYYMMDDnn (`dateSerial` is today's YYYYMMDD00) while
 * changes are fewer than 100 a day, and always one more than the last, so secondaries never miss one.
 */
export async function bumpSerial(em: EntityManager, zone: string, dateSerial: number, at: Date): Promise<void> {
  await em.query(
    `INSERT INTO dns_zone_serials (zone, serial, changed_at) VALUES ($1, $2, $3)
     ON CONFLICT (zone) DO UPDATE SET serial = greatest(dns_zone_serials.serial + 1, excluded.serial), changed_at = excluded.changed_at`,
    [zone, dateSerial, at],
  );
}

export async function serialsOf(em: EntityManager, zones: string[]): Promise<Map<string, number>> {
  const rows: { zone: string; serial: string }[] = await em.query(`SELECT zone, serial FROM dns_zone_serials WHERE zone = ANY ($1)`, [zones]);
  return new Map(rows.map((row) => [row.zone, Number(row.serial)]));
}
