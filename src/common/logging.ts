import { LoggerService, RequestMethod } from '@nestjs/common';
import type { Logger, Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { destination as pinoDestination, type DestinationStream } from 'pino';

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

/** The logger's own middleware route: Express 5's syntax for every path (the default '*' makes Nest warn at every start). */
const EVERY_PATH = '{*path}';

/**
 * The template of the route that answered (`/api/v1/subscribers/:id`), known once routing is done. A
 * request no controller matched still carries the logger's own catch-all route.
 */
export function routeTemplate(req: IncomingMessage & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  return typeof path === 'string' && !path.endsWith(EVERY_PATH) ? path : UNMATCHED_ROUTE;
}

/** `destination` replaces standard output, for a test to read what the service logs. */
export function loggerParams(level: string, destination?: DestinationStream): Params {
  return {
    forRoutes: [{ path: EVERY_PATH, method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      // Asynchronous and buffered by default: lines go out by 4 KB or at least every second, instead
      // of one blocking write per request; pino flushes what is left when the process exits.
      stream: destination ?? pinoDestination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 }),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Bound when the request arrives, before routing: no path here, the route comes with the answer.
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method }),
      },
      customSuccessObject: (req, _res, logged) => ({ ...logged, route: routeTemplate(req) }),
      customErrorObject: (req, _res, _error, logged) => ({ ...logged, route: routeTemplate(req) }),
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
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
