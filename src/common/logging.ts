import { LoggerService } from '@nestjs/common';
import type { Logger, Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, destination as pinoDestination, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * Personal values never reach a log line: request bodies and URLs are not logged at all (a search, an
 * address lookup or an id in the path carries them: `/subscribers/someone%40example.org`), and fields
 * that could hold them are redacted wherever they appear in a log object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.email',
  '*.displayName',
  '*.legalName',
  '*.phone',
  '*.address',
  '*.token',
  '*.code',
  'email',
  'displayName',
  'legalName',
  'phone',
  'address',
  'token',
];

/** What a request line names instead of its path when no route matched (a path can be anything a client typed). */
export const UNMATCHED_ROUTE = '(no route)';

/** The template of the route that answered (`/api/v1/subscribers/:id`), known once routing is done. */
export function routeTemplate(req: IncomingMessage & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  return typeof path === 'string' ? path : UNMATCHED_ROUTE;
}

/** The one pino instance of the process, for nestjs-pino's Logger and for the request lines. */
export const ROOT_LOGGER = 'lanterne:root-logger';

/** `destination` replaces standard output, for a test to read what the service logs. */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    // Asynchronous and buffered by default: lines go out by 4 KB or at least every second, instead
    // of one blocking write per request; pino flushes what is left when the process exits.
    destination ?? pinoDestination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 }),
  );
}

/**
 * nestjs-pino's Logger writes through the root logger, with no middleware of its own: its
 * pino-http child logger and async context per request cost more than the rest of a small request,
 * and the request line is written by `requestLog` instead.
 */
export function loggerParams(logger: PinoLogger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] as unknown as Params['forRoutes'] };
}

/** A request as the log knows it: a number of this process, and the method; never the URL. */
export function requestBinding(req: IncomingMessage & { id?: unknown }): { id: unknown; method: string | undefined } {
  return { id: req.id, method: req.method };
}

/** The fields of a request line: the route template, never the path that could carry a personal value. */
export function requestLine(req: IncomingMessage & { id?: unknown; route?: { path?: unknown } }, res: ServerResponse, responseTime: number): Record<string, unknown> {
  return { req: requestBinding(req), res: { statusCode: res.statusCode }, responseTime, route: routeTemplate(req) };
}

/**
 * One line per request once its answer is sent (or the client went away), at the info level;
 * /health, which probes call every few seconds, is not logged. The request gets its number here.
 */
export function requestLog(logger: PinoLogger): (req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void) => void {
  let lastId = 0;
  // The line's fields are fixed (route template, method, status, time): nothing in them to redact.
  const lines = logger.child({}, { redact: [] });
  return (req, res, next) => {
    req.id = lastId = (lastId + 1) & 0x7fffffff;
    if (req.url !== '/health' && lines.isLevelEnabled('info')) {
      const started = Date.now();
      res.once('close', () => {
        const message = !res.writableFinished ? 'request aborted' : res.statusCode >= 500 ? 'request errored' : 'request completed';
        lines.info(requestLine(req, res, Date.now() - started), message);
      });
    }
    next();
  };
}

/** Nest's own start-up chatter (modules loaded, routes mapped): useful when debugging, noise otherwise. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** The pino logger, with the framework's start-up messages moved down to the debug level. */
export class ApplicationLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (FRAMEWORK_CONTEXTS.has(String(rest.at(-1)))) this.pino.debug(message, ...rest);
    else this.pino.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.pino.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.pino.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.pino.debug(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.pino.verbose(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.pino.fatal(message, ...rest);
  }
}
