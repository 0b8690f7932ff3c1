import pino from 'pino';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { loadConfig } from '../config/config';
import { loggerParams } from './logging';
import { describeSafely } from './problem.filter';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

describe('personal data never reaches a log line', () => {
  it('redacts personal fields and tokens wherever they appear', () => {
    const options = loggerParams(loadConfig({}).logLevel).pinoHttp as pino.LoggerOptions;
    const out = capture();
    const logger = pino({ redact: options.redact }, out.stream);
    logger.info({ subscriber: { email: 'alice@example.org', displayName: 'Alice' }, legalName: 'Alice Martin', phone: '+32470000000', req: { headers: { authorization: 'Bearer lnt_secret' } } }, 'x');
    const text = out.text();
    for (const value of ['alice@example.org', 'Alice', 'Martin', '+32470000000', 'lnt_secret']) expect(text).not.toContain(value);
    expect(text).toContain('[redacted]');
  });

  it('logs a request without its url: paths and query strings carry searches, ids and addresses', () => {
    const serializers = (loggerParams(loadConfig({}).logLevel).pinoHttp as pino.LoggerOptions).serializers as Record<string, (v: unknown) => unknown>;
    expect(serializers.req({ id: 1, method: 'GET', url: '/api/v1/subscribers/alice%40example.org?q=alice' })).toEqual({ id: 1, method: 'GET' });
  });

  it('describes an unexpected query error without its parameters or quoted values', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type integer: "alice@example.org"'), { code: '22P02', detail: 'Key (email)=(alice@example.org)' });
    const error = new QueryFailedError('INSERT INTO subscribers VALUES ($1)', ['alice@example.org'], driverError);
    const described = JSON.stringify(describeSafely(error));
    expect(described).not.toContain('alice@example.org');
    expect(described).toContain('22P02');
    expect(described).toContain('invalid input syntax for type integer');
  });
});
