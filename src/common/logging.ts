import { LoggerService, RequestMethod } from '@nestjs/common';
import type { Logger, Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { destination } from 'pino';

/**
 * Personal values never reach a log line: request bodies and query strings are not logged at
 * all (a search or an address lookup carries them), and fields that could hold them are redacted
 * wherever they appear in a log object.
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

export function loggerParams(level: string): Params {
  return {
    // Express 5's path syntax: the default '*' makes Nest warn at every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      // Asynchronous and buffered: lines go out by 4 KB or at least every second, instead of one
      // blocking write per request; pino flushes what is left when the process exits.
      stream: destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 }),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: (req.url ?? '').split('?')[0] }),
      },
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
