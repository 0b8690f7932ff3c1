import 'reflect-metadata';
import { SYSTEM_ACTOR } from '../src/common/access';
import { RetentionService } from '../src/privacy/retention.service';
import { createTestApp, TestApp } from '../tests/support/test-app';
import { durationMs, reportFigure, reportRatio } from './support';

/** Expired rows per measure; RETENTION_BENCH_ROWS=10000 runs it small. */
const EXPIRED = Number(process.env.RETENTION_BENCH_ROWS ?? 1_000_000);
/** Rounds of (plain DELETE, retention run), the order swapped every round; the median of each side is reported. */
const ROUNDS = Number(process.env.RETENTION_BENCH_ROUNDS ?? 2);
const PERIODS_PER_BLOCK = 4;
/** Current assignments that every purge must leave alone. */
const CURRENT = 10_000;

/**
 * Purging EXPIRED ended IP assignments (history from 2020, long past its 365 days) through a
 * retention run (RetentionService.run: the policies, every purger, the ledger's erasure and its
 * entry, in one transaction) against a plain `DELETE` of the same rows, on the same database in the
 * same run. Each measure starts from the same freshly filled and vacuumed table.
 */
export async function run(): Promise<void> {
  // The api role: no worker, so the daily job cannot run a purge of its own in between.
  const app = await createTestApp({ LANTERNE_ROLE: 'api' });
  try {
    const retention = app.lanterne.app.get(RetentionService);
    const subscriptionId = await fixtures(app);
    const plain: number[] = [];
    const through: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const sides = [
        async () => {
          await fill(app, subscriptionId);
          plain.push(await durationMs(() => app.sql('DELETE FROM ip_assignments WHERE valid_until < $1', [new Date('2021-01-01T00:00:00Z')])));
          await expectRemaining(app);
        },
        async () => {
          await fill(app, subscriptionId);
          let purged = 0;
          through.push(await durationMs(async () => (purged = (await retention.run(SYSTEM_ACTOR)).purged['ip-history'])));
          if (purged !== EXPIRED) throw new Error(`the run purged ${purged} rows, not ${EXPIRED}`);
          await expectRemaining(app);
        },
      ];
      for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    }
    reportFigure('expired rows per purge', EXPIRED.toLocaleString('en'));
    reportRatio('purge of expired IP history', { label: 'retention run', ms: median(through) }, { label: 'plain DELETE', ms: median(plain) }, 1.5);
  } finally {
    await app.close();
  }
}

async function fixtures(app: TestApp): Promise<string> {
  const [{ id: subscriberId }] = await app.sql<{ id: string }>(`INSERT INTO subscribers (member_number, display_name, email) VALUES (1, 'bench', 'bench@example.org') RETURNING id`);
  const [{ id: subscriptionId }] = await app.sql<{ id: string }>(`INSERT INTO subscriptions (subscriber_id, service, starts_at) VALUES ($1, 'vpn', '2000-01-01') RETURNING id`, [subscriberId]);
  await app.sql(`INSERT INTO ip_pools (name, prefix, assign_length) VALUES ('history', '10.0.0.0/8', 32), ('current', '11.0.0.0/16', 32)`);
  // Current assignments: never purged, and what a DELETE must find its way around.
  await app.sql(
    `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from)
     SELECT p.id, p.prefix, 32, $1, set_masklen('11.0.0.0'::inet + b, 32)::cidr, '2020-01-01'
     FROM ip_pools p, generate_series(1, $2::int) b WHERE p.name = 'current'`,
    [subscriptionId, CURRENT],
  );
  return subscriptionId;
}

/** EXPIRED ended assignments in 2020: blocks held four times, 60 days each, 90 days apart (past the 30-day quarantine). */
async function fill(app: TestApp, subscriptionId: string): Promise<void> {
  await app.sql(
    `INSERT INTO ip_assignments (pool_id, pool_prefix, assign_length, subscription_id, prefix, valid_from, valid_until, quarantine_until)
     SELECT p.id, p.prefix, 32, $1, set_masklen('10.0.0.0'::inet + (n / ${PERIODS_PER_BLOCK}) + 1, 32)::cidr,
            '2020-01-01'::timestamptz + (n % ${PERIODS_PER_BLOCK}) * interval '90 days',
            '2020-01-01'::timestamptz + ((n % ${PERIODS_PER_BLOCK}) * 90 + 60) * interval '1 day',
            '2020-01-01'::timestamptz + ((n % ${PERIODS_PER_BLOCK}) * 90 + 90) * interval '1 day'
     FROM ip_pools p, generate_series(0, $2::int - 1) n WHERE p.name = 'history'`,
    [subscriptionId, EXPIRED],
  );
  await app.sql('VACUUM ANALYZE ip_assignments');
}

async function expectRemaining(app: TestApp): Promise<void> {
  const [{ n }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM ip_assignments');
  if (n !== CURRENT) throw new Error(`${n} assignments remain, not the ${CURRENT} current ones`);
  await app.sql('VACUUM ip_assignments');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
