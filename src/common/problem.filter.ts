import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { CommonErrorCode } from './common.errors';
import { isDatabaseUnavailable, pgConstraint, pgErrorCode } from './database-errors';
import { assertUnreachable, DomainError, ProblemKind } from './domain-error';
import { ProblemDocument } from './problem.schema';
import { requestBinding, routeTemplate, UNMATCHED_ROUTE } from './logging';
import { MalformedJsonBody } from './request-parsing';
import { ProblemPages } from './problem-pages';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusOfKind(kind: ProblemKind): number {
  switch (kind) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not-found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'unprocessable':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'rate-limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unsupported-media-type':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    default:
      return assertUnreachable(kind);
  }
}

export const problemType = (code: string) => `urn:lanterne:problem:${code}`;

/** What a client is told to wait before trying again while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function zodIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function problemFor(exception: unknown): ProblemDocument {
  if (exception instanceof DomainError) {
    const status = statusOfKind(exception.kind);
    return { ...exception.extensions, type: problemType(exception.code), title: TITLES[status], status, detail: exception.detail };
  }
  if (exception instanceof ZodValidationException) {
    const errors = zodIssues(exception.getZodError() as ZodError);
    return {
      type: problemType('validation'),
      title: TITLES[400],
      status: 400,
      detail: `The request does not have the expected shape: ${errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`,
      errors,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // The platform's refusal of a Content-Type too malformed to name a media type.
    if (status === 415) return { type: problemType(CommonErrorCode.UnsupportedMediaType), title: TITLES[415], status, detail: 'Request bodies are application/json; this Content-Type cannot be read.' };
    const detail = status === 404 ? 'No such route.' : exception.message;
    return { type: problemType(status === 404 ? 'no-such-route' : 'http'), title: TITLES[status] ?? 'Error', status, detail };
  }
  if (exception instanceof MalformedJsonBody) {
    return { type: problemType('malformed-json'), title: TITLES[400], status: 400, detail: 'The request body is not valid JSON.' };
  }
  // Fastify reports what it refuses before a route runs (an oversized body, a bad Content-Length) as errors carrying a status.
  const platformError = exception as { statusCode?: number };
  if (typeof platformError?.statusCode === 'number' && platformError.statusCode >= 400 && platformError.statusCode < 500) {
    const status = platformError.statusCode;
    return { type: problemType('http'), title: TITLES[status] ?? 'Error', status, detail: String((exception as Error).message) };
  }
  if (isDatabaseUnavailable(exception)) {
    return { type: problemType('database-unavailable'), title: TITLES[503], status: 503, detail: 'The database cannot answer at the moment (unreachable, restarting or saturated); try again shortly.' };
  }
  return { type: problemType('internal'), title: TITLES[500], status: 500, detail: 'An unexpected error occurred; it has been logged.' };
}

/**
 * What of an unexpected error may be logged: a query error carries the query's parameters and
 * PostgreSQL's `detail` quotes values (`Key (email)=(...)`), so only names, codes and the stack go out.
 */
export function describeSafely(exception: unknown): Record<string, unknown> {
  const e = exception as { name?: unknown; message?: unknown; stack?: unknown };
  const stack = typeof e?.stack === 'string' ? e.stack.split('\n').slice(1).join('\n') : undefined;
  const pgCode = pgErrorCode(exception);
  const constraint = pgConstraint(exception);
  return {
    name: typeof e?.name === 'string' ? e.name : typeof exception,
    ...(pgCode !== undefined ? { sqlState: pgCode } : {}),
    ...(constraint ? { constraint } : {}),
    // A database message can quote input values ("invalid input syntax for type x: ..."); keep only its first words.
    ...(pgCode !== undefined ? { message: String(e.message ?? '').split(':')[0] } : { message: String(e?.message ?? '') }),
    stack,
  };
}

/**
 * The challenge of a 401 (RFC 6750 §3): a request that sent credentials learns that its token was
 * refused; one that sent none is only told the scheme.
 */
export function bearerChallenge(request: Pick<FastifyRequest, 'headers'>): string {
  return request.headers.authorization ? 'Bearer realm="lanterne", error="invalid_token"' : 'Bearer realm="lanterne"';
}

/** Every error leaves as RFC 9457 problem+json, or, on a web page, as that problem rendered; nothing else builds error bodies. */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly pages: ProblemPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const problem = problemFor(exception);
    // The route template, never the path: a path can carry a personal value (an e-mail typed as an id).
    const route = routeTemplate(request);
    if (problem.status === 503) {
      this.logger.warn({ error: describeSafely(exception), route, req: requestBinding(request) }, 'database unavailable');
      response.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (problem.status >= 500) {
      this.logger.error({ error: describeSafely(exception), route, req: requestBinding(request) }, 'unhandled error');
    }
    if (problem.status === 401) response.header('WWW-Authenticate', bearerChallenge(request));
    // A domain error that says when to come back (a resend asked too soon) says it in the header too.
    if (exception instanceof DomainError && typeof exception.extensions.retryAfter === 'number') {
      response.header('Retry-After', String(exception.extensions.retryAfter));
    }
    const instance = route === UNMATCHED_ROUTE ? {} : { instance: route };
    if (this.pages.rendered({ ...problem, ...instance }, request, response)) return;
    void response
      .status(problem.status)
      .type('application/problem+json; charset=utf-8')
      .send({ ...problem, ...instance });
  }
}
