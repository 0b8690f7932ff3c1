import { SYSTEM_ACTOR } from '../../src/common/access';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LedgerService } from '../../src/ledger/ledger.service';
import type { TestApp } from './test-app';

export interface LeafJson {
  index: number;
  at: string;
  actor: { id: string | null; role: string };
  action: string;
  subject?: string;
  purposeCategory?: string;
  /** Only in leaves written before purposes became personal values. */
  purpose?: string;
  legalBasis?: string;
  refs: Record<string, unknown>;
  personal: Record<string, string>;
}

export async function treeSize(app: TestApp): Promise<number> {
  const [{ tree_size }] = await app.sql<{ tree_size: string }>('SELECT tree_size FROM ledger_head');
  return Number(tree_size);
}

export async function storedLeaves(app: TestApp): Promise<LeafJson[]> {
  const rows = await app.sql<{ leaf: Buffer }>('SELECT leaf FROM ledger_leaves ORDER BY index');
  return rows.map((row) => JSON.parse(row.leaf.toString('utf8')));
}

/** Runs statements as the superuser with triggers off, the way someone with the database would. */
export async function tamper(app: TestApp, ...statements: [string, unknown[]?][]): Promise<void> {
  await app.sql('SET session_replication_role = replica');
  try {
    for (const [text, params] of statements) await app.sql(text, params ?? []);
  } finally {
    await app.sql('SET session_replication_role = origin');
  }
}

/** Appends entries through the service, in a transaction of their own. */
export async function appendEntries(app: TestApp, count: number): Promise<number[]> {
  const ledger = app.lanterne.app.get(LedgerService);
  const entries = Array.from({ length: count }, (_, i) => ({ actor: SYSTEM_ACTOR, action: 'configuration.changed' as const, refs: { setting: `s${i}` } }));
  return dataSourceOf(app).transaction((em) => ledger.recordMany(em, entries));
}

export function dataSourceOf(app: TestApp): DataSource {
  return app.lanterne.app.get<DataSource>(getDataSourceToken());
}
