import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { MessageRenderers } from '../../src/outbox/message-renderers';
import { RenderedMessage } from '../../src/outbox/outbox-message';
import { OutboxModule } from '../../src/outbox/outbox.module';
import { TestApp } from './test-app';

/**
 * Renders what the test says, for refs the test names. Kinds whose context is not in the app yet get
 * a renderer answering `null` so that start-up's check passes; a kind already registered is left
 * to its context, and `renderMessages` stands in front of it.
 */
@Injectable()
class PlaceholderRenderers implements OnModuleInit {
  constructor(private readonly renderers: MessageRenderers) {}

  // After every constructor (where contexts register), before start-up checks the list.
  onModuleInit(): void {
    for (const kind of this.renderers.registry.missingHandlers()) this.renderers.register(kind, async () => null);
  }
}

@Module({ imports: [OutboxModule], providers: [PlaceholderRenderers] })
export class OutboxTestModule {}

/** Messages rendered by ref, as the test set them (`null`: the renderer's "no longer to be sent"). */
export function renderMessages(app: TestApp, messages: Map<string, RenderedMessage | null | Error>): void {
  const renderers = app.lanterne.app.get(MessageRenderers);
  jest.spyOn(renderers, 'render').mockImplementation(async (_kind, ref) => {
    const message = messages.get(ref);
    if (message instanceof Error) throw message;
    return message ?? null;
  });
}

/** The JSON files the `file` transport wrote in `dir`, by message id. */
export async function outboxFiles(dir: string): Promise<Map<string, Record<string, unknown>>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
  const files = new Map<string, Record<string, unknown>>();
  for (const name of names) files.set(name.slice(0, -'.json'.length), JSON.parse(await readFile(join(dir, name), 'utf8')));
  return files;
}

/** Polls until `check` answers something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
