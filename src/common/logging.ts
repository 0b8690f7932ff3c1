import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/config';

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

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: (req.url ?? '').split('?')[0] }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  };
}
