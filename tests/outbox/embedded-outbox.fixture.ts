/**
 * Run as its own process by embedded.int-spec.ts (PGlite loads its WASM through a dynamic import that
 * jest's sandbox refuses): Lanterne in embedded mode, where BullMQ's queues live in PGlite too, sends
 * one SMS enqueued in a transaction that commits and none of one that rolls back, then prints how
 * each went as one JSON line.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { MessageRenderers } from '../../src/outbox/message-renderers';
import { OutboxService } from '../../src/outbox/outbox.service';
import { startLanterne } from '../../src/server';

async function main(): Promise<void> {
  const lanterne = await startLanterne(loadConfig());
  try {
    const renderers = lanterne.app.get(MessageRenderers);
    renderers.render = async (_kind, ref) => ({ channel: 'sms', to: '+32470123456', language: 'fr', body: `Votre code : ${ref.slice(0, 6)}`, code: ref.slice(0, 6) });
    const outbox = lanterne.app.get(OutboxService);
    const dataSource = lanterne.app.get(DataSource);
    const committed = await dataSource.transaction((em) => outbox.enqueue(em, { kind: 'verification-code', channel: 'sms', ref: '123456aa-0000-4000-8000-000000000000' }));
    let rolledBack = '';
    await dataSource
      .transaction(async (em) => {
        rolledBack = (await outbox.enqueue(em, { kind: 'verification-code', channel: 'sms', ref: '654321bb-0000-4000-8000-000000000000' })).messageId;
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while ((await outbox.messageStatus(committed.messageId))?.status !== 'sent' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    // Time for a job of the rolled-back message, were there one, to run.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const result = { committed: { id: committed.messageId, ...(await outbox.messageStatus(committed.messageId)) }, rolledBack: { id: rolledBack, status: (await outbox.messageStatus(rolledBack)) ?? null } };
    process.stdout.write(`OUTBOX ${JSON.stringify(result)}\n`);
  } finally {
    await lanterne.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
