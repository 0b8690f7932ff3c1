import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule, Runtime } from './app.module';
import { AuthService } from './auth/auth.service';
import { drainable } from './common/http-drain';
import { ApplicationLogger, requestLog, ROOT_LOGGER } from './common/logging';
import { BODY_LIMIT_BYTES, useStrictRequestParsing } from './common/request-parsing';
import { isPageUrl, PAGES_PREFIX, routedUrl } from './common/page-paths';
import fastifyCookie from '@fastify/cookie';
import { AppConfig } from './config/config';
import { resolveKeyMaterial } from './config/keys';
import { runMigrations } from './database/migrate';
import { openDatabase } from './database/open-database';
import { assertCurrentMasterKey } from './identity/master-key-check';
import { setUpOpenApi } from './openapi';

export interface RunningLanterne {
  app: NestFastifyApplication;
  /** Base URL of the HTTP API, when this process serves it. */
  url: string | null;
  /** The one-time admin token printed on a first start without LANTERNE_BOOTSTRAP_TOKEN. */
  firstAdminToken: string | null;
  stop(): Promise<void>;
}

/** The API lives under /api/v1; /health stays at the root, where probes look for it, and the web pages have their own prefix. */
export function applyRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }, PAGES_PREFIX, `${PAGES_PREFIX}/{*page}`] });
}

export async function startLanterne(config: AppConfig, options: Pick<Runtime, 'clock' | 'logDestination'> = {}): Promise<RunningLanterne> {
  const { keys, generated } = resolveKeyMaterial(config);
  const database = await openDatabase(config, 'serve');
  try {
    await runMigrations(database.url);
    await assertCurrentMasterKey(database.url, keys.masterKey);
    database.embedded?.announce();
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, keys, databaseUrl: database.url, embedded: database.embedded, ...options }), httpPlatform(config), {
      bufferLogs: true,
      bodyParser: false,
    });
    const logger = app.get(Logger);
    app.useLogger(new ApplicationLogger(logger));
    requestLog(app.getHttpAdapter().getInstance(), app.get(ROOT_LOGGER));
    useStrictRequestParsing(app.getHttpAdapter().getInstance());
    await app.register(fastifyCookie);
    applyRoutePrefix(app);
    secureHeaders(app);
    for (const path of generated) logger.warn(`generated ${path}: keep it secret and back it up apart from the database`);

    const firstAdminToken = await ensureFirstAdmin(app, config);
    let url: string | null = null;
    const http = config.role === 'worker' ? null : drainable(app.getHttpServer());
    try {
      if (config.role === 'worker') {
        await app.init();
      } else {
        setUpOpenApi(app);
        await app.listen(config.port, config.host);
      }
    } catch (error) {
      // A start-up check refused at bootstrap: what init had opened (pools, workers) must not outlive the refusal.
      await app.close().catch(() => undefined);
      throw error;
    }
    if (config.role !== 'worker') {
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
 * Fastify, configured to route as the API always has: paths match case-insensitively and with or
 * without a trailing slash, a path parameter of any length reaches its pipe (which refuses it with a
 * 400 naming it, instead of a bare 404), and the client address is read through the proxies
 * `LANTERNE_TRUST_PROXY` names (the same values as Express's `trust proxy`: both use proxy-addr).
 */
function httpPlatform(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 10_000 },
    // Node's own limits, which Fastify's defaults would loosen: idle keep-alive sockets close after
    // 5 s, and a request must have arrived whole within 5 minutes.
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // The request number of the log line and of a problem's log entry; never anything from the request.
    genReqId: requestNumbers(),
    // Web pages are at the root; their controllers, under a prefix of their own (common/page-paths.ts).
    rewriteUrl: (request: { url?: string }) => routedUrl(request.url ?? '/'),
  });
}

function requestNumbers(): () => string {
  let last = 0;
  return () => String((last = (last + 1) & 0x7fffffff));
}

/**
 * Headers from helmet on every answer: nosniff, no framing anywhere, and a content policy that lets
 * Swagger UI at /docs load its own scripts and styles only (its page inlines styles, never scripts).
 * `upgrade-insecure-requests` is left out: embedded mode serves plain HTTP, where it would break /docs.
 * An answer to a request carrying a bearer token (a new token, or what one unlocks) is never cached.
 */
function secureHeaders(app: NestFastifyApplication): void {
  const headers = helmetHeaders({
    contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
    frameguard: { action: 'deny' },
  });
  const fixed = Object.fromEntries(headers);
  const forPages = Object.fromEntries(helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_CONTENT_POLICY }, frameguard: { action: 'deny' } }));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.headers(isPageUrl(request.url) ? forPages : fixed);
      if (request.headers.authorization && API_PATH.test(request.url)) reply.header('Cache-Control', 'no-store');
      done();
    });
}

/**
 * The pages run no script at all and load only their own stylesheet; their forms post to Lanterne
 * alone, and nothing may frame them.
 */
const PAGE_CONTENT_POLICY = {
  'default-src': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

/** Where the API is, as its routes match: case-insensitively, a whole segment. */
const API_PATH = /^\/api\/v1(?:[/?]|$)/i;

/**
 * The headers helmet sets, computed once: with no per-request directive they are the same on every
 * answer, and setting them from a list costs a fraction of running its dozen middlewares each time.
 */
export function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers: [string, string][] = [];
  const refuse = (): never => {
    throw new Error('a helmet directive reads the request or the answer: its headers cannot be computed once');
  };
  // Helmet may only set and remove headers here; a directive that reads anything else fails at start-up.
  const methods: Record<string | symbol, unknown> = { setHeader: (name: string, value: unknown) => headers.push([name, String(value)]), removeHeader: () => undefined };
  const recorder = new Proxy({}, { get: (_, key) => methods[key] ?? refuse() });
  const request = new Proxy({}, { get: refuse });
  let done = false;
  helmet(options)(request as IncomingMessage, recorder as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done) refuse();
  return headers;
}

async function ensureFirstAdmin(app: NestFastifyApplication, config: AppConfig): Promise<string | null> {
  const auth = app.get(AuthService);
  if (config.bootstrapToken) {
    await auth.createFirstAdmin('bootstrap admin', config.bootstrapToken);
    return null;
  }
  return auth.createFirstAdmin('first admin');
}
