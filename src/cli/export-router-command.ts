import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { RouterExportService } from '../tunnels/router-export.service';

export const ROUTER_EXPORT_FORMATS = ['wireguard', 'openvpn'] as const;
export type RouterExportFormat = (typeof ROUTER_EXPORT_FORMATS)[number];

/** The file WireGuard's peers go to, for the router to append to its own [Interface]. */
export const WIREGUARD_PEERS_FILE = 'lanterne-peers.conf';

/** Client-config-dir files are named by certificate CN, which Lanterne makes a subscription id. */
const CLIENT_FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Writes the router export into `dir`, each file written aside then renamed over the old one, so a
 * router reading from cron sees the old file or the new one, never half of one. For OpenVPN, the
 * files of clients no longer exported (every block released) are removed; files that Lanterne could
 * not have named are left alone. Answers what changed, for the log.
 */
export async function exportRouter(app: INestApplicationContext, format: RouterExportFormat, dir: string): Promise<{ written: string[]; removed: string[] }> {
  const exporter = app.get(RouterExportService);
  mkdirSync(dir, { recursive: true });
  if (format === 'wireguard') {
    writeAtomically(dir, WIREGUARD_PEERS_FILE, await exporter.wireguardPeers());
    return { written: [WIREGUARD_PEERS_FILE], removed: [] };
  }
  const files = await exporter.openvpnClientConfigs();
  for (const file of files) writeAtomically(dir, file.name, file.content);
  const exported = new Set(files.map((file) => file.name));
  const removed = readdirSync(dir).filter((name) => CLIENT_FILE_NAME.test(name) && !exported.has(name));
  for (const name of removed) unlinkSync(join(dir, name));
  return { written: [...exported], removed };
}

function writeAtomically(dir: string, name: string, content: string): void {
  // In the same directory, so the rename never crosses file systems (and so stays atomic).
  const aside = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(aside, content, { mode: 0o644 });
  try {
    renameSync(aside, join(dir, name));
  } catch (error) {
    unlinkSync(aside);
    throw error;
  }
}
