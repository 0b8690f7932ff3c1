import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, Runtime } from './app.module';
import { AuthService } from './auth/auth.service';
import { drainable } from './common/http-drain';
import { ApplicationLogger } from './common/logging';
import { useStrictRequestParsing } from './common/request-parsing';
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

/** The API lives under /api/v1; /health stays at the root, where probes look for it. */
export function applyRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
}

export async function startLanterne(config: AppConfig, options: Pick<Runtime, 'clock' | 'logDestination' | 'modules'> = {}): Promise<RunningLanterne> {
  const { keys, generated } = resolveKeyMaterial(config);
  const database = await openDatabase(config, 'serve');
  try {
    await runMigrations(database.url);
    database.embedded?.announce();
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, keys, databaseUrl: database.url, ...options }), {
      bufferLogs: true,
      bodyParser: false,
    });
    const logger = app.get(Logger);
    app.useLogger(new ApplicationLogger(logger));
    useStrictRequestParsing(app);
    app.set('trust proxy', config.trustProxy);
    app.disable('x-powered-by');
    applyRoutePrefix(app);
    secureHeaders(app);
    for (const path of generated) logger.warn(`generated ${path}: keep it secret and back it up apart from the database`);

    const firstAdminToken = await ensureFirstAdmin(app, config);
    let url: string | null = null;
    const http = config.role === 'worker' ? null : drainable(app.getHttpServer());
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
      /** Requests first (the database is still there to answer them), then jobs and pools. */
      async stop() {
        await http?.drain();
        await app.close();
        await database.embedded?.stop();
      },
    };
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  }
}

/**
 * Headers from helmet on every answer: nosniff, no framing anywhere, and a content policy that lets
 * Swagger UI at /docs load its own scripts and styles only (its page inlines styles, never scripts).
 * `upgrade-insecure-requests` is left out: embedded mode serves plain HTTP, where it would break /docs.
 * An answer to a request carrying a bearer token (a new token, or what one unlocks) is never cached.
 */
function secureHeaders(app: NestExpressApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
      frameguard: { action: 'deny' },
    }),
  );
  app.use('/api/v1', (request: Request, response: Response, next: NextFunction) => {
    if (request.headers.authorization) response.setHeader('Cache-Control', 'no-store');
    next();
  });
}

async function ensureFirstAdmin(app: NestExpressApplication, config: AppConfig): Promise<string | null> {
  const auth = app.get(AuthService);
  if (config.bootstrapToken) {
    await auth.createFirstAdmin('bootstrap admin', config.bootstrapToken);
    return null;
  }
  return auth.createFirstAdmin('first admin');
}
