import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { Clock } from './common/clock';
import { ApplicationLogger } from './common/logging';
import { AppConfig } from './config/config';
import { resolveKeyMaterial } from './config/keys';
import { runMigrations } from './database/migrate';
import { openDatabase } from './database/open-database';
import { setUpOpenApi } from './openapi';

export interface RunningLanterne {
  app: NestExpressApplication;
  /** Base URL of the HTTP API, when this process serves it. */
  url: string | null;
  /** The one-time admin token printed on a first start without LANTERNE_BOOTSTRAP_TOKEN. */
  firstAdminToken: string | null;
  stop(): Promise<void>;
}

export async function startLanterne(config: AppConfig, options: { clock?: Clock } = {}): Promise<RunningLanterne> {
  const { keys, generated } = resolveKeyMaterial(config);
  const database = await openDatabase(config, 'serve');
  try {
    await runMigrations(database.url);
    database.embedded?.announce();
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, keys, databaseUrl: database.url, clock: options.clock }), {
      bufferLogs: true,
    });
    const logger = app.get(Logger);
    app.useLogger(new ApplicationLogger(logger));
    app.set('trust proxy', 'loopback');
    app.disable('x-powered-by');
    app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
    for (const path of generated) logger.warn(`generated ${path}: keep it secret and back it up apart from the database`);

    const firstAdminToken = await ensureFirstAdmin(app, config);
    let url: string | null = null;
    if (config.role === 'worker') {
      await app.init();
    } else {
      setUpOpenApi(app);
      await app.listen(config.port, config.host);
      const address = app.getHttpServer().address() as { port: number };
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
    }
    return {
      app,
      url,
      firstAdminToken,
      async stop() {
        await app.close();
        await database.embedded?.stop();
      },
    };
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  }
}

async function ensureFirstAdmin(app: NestExpressApplication, config: AppConfig): Promise<string | null> {
  const auth = app.get(AuthService);
  if (config.bootstrapToken) {
    await auth.createFirstAdmin('bootstrap admin', config.bootstrapToken);
    return null;
  }
  return auth.createFirstAdmin('first admin');
}
