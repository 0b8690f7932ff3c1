import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig, KeyMaterial, loadConfig } from '../config/config';
import { resolveKeyMaterial } from '../config/keys';
import { runMigrations } from '../database/migrate';
import { openDatabase } from '../database/open-database';
import { assertCurrentMasterKey } from '../identity/master-key-check';

export interface ApplicationOptions {
  /** Keys in place of those of the environment (a key rotation finishing under the new key). */
  keys?: (keys: KeyMaterial) => KeyMaterial;
  /** Refuse to run beside the embedded service of the data dir, instead of going through it. */
  exclusive?: string;
}

/** Runs `work` against the instance of the environment (migrated first), without serving HTTP or running workers. */
export async function withApplication(
  command: string,
  work: (app: INestApplicationContext, config: AppConfig) => Promise<void>,
  options: ApplicationOptions = {},
): Promise<void> {
  const config = { ...loadConfig(), role: 'api' as const };
  const database = await openDatabase(config, command);
  try {
    if (options.exclusive && config.mode === 'embedded' && !database.embedded) throw new Error(options.exclusive);
    await runMigrations(database.url);
    const { keys: environmentKeys } = resolveKeyMaterial(config);
    const keys = options.keys ? options.keys(environmentKeys) : environmentKeys;
    await assertCurrentMasterKey(database.url, keys.masterKey);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, keys, databaseUrl: database.url, embedded: database.embedded }), {
      logger: false,
    });
    try {
      await work(app, config);
    } finally {
      await app.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}
