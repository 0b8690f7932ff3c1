import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { loadConfig } from '../config/config';
import { createRootLogger, requestLine } from './logging';
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
    const out = capture();
    const logger = createRootLogger(loadConfig({}).logLevel, out.stream);
    logger.info({ subscriber: { email: 'alice@example.org', displayName: 'Alice' }, legalName: 'Alice Martin', phone: '+32470000000', req: { headers: { authorization: 'Bearer lnt_secret' } } }, 'x');
    const text = out.text();
    for (const value of ['alice@example.org', 'Alice', 'Martin', '+32470000000', 'lnt_secret']) expect(text).not.toContain(value);
    expect(text).toContain('[redacted]');
  });

  it('logs a request without its url: paths and query strings carry searches, ids and addresses', () => {
    const req = { id: 1, method: 'GET', url: '/api/v1/subscribers/alice%40example.org?q=alice', route: { path: '/api/v1/subscribers/:id' } } as unknown as IncomingMessage;
    const line = requestLine(req, { statusCode: 200 } as ServerResponse, 3);
    expect(line).toEqual({ req: { id: 1, method: 'GET' }, res: { statusCode: 200 }, responseTime: 3, route: '/api/v1/subscribers/:id' });
    expect(JSON.stringify(line)).not.toContain('alice');
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
