import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutgoingMessage, Transport } from '../transport';

/**
 * One JSON file per message, `<messageId>.json` in `dir`: `{channel, to, body, code?, subject?,
 * createdAt}`. For tests, and for volunteers who post letters by hand. Written under a hidden name
 * then renamed, so whoever watches the directory never reads half a file; a retried message
 * overwrites its own file.
 */
export class FileTransport implements Transport {
  readonly name = 'file';

  constructor(private readonly dir: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    const { channel, to, body, code, subject } = message.rendered;
    const content = { channel, to, body, ...(code === undefined ? {} : { code }), ...(subject === undefined ? {} : { subject }), createdAt: message.createdAt.toISOString() };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = join(this.dir, `.${message.messageId}.json.tmp`);
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, join(this.dir, `${message.messageId}.json`));
  }
}
