import type { PipeTransform } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { CommonError, CommonErrorCode } from './common.errors';
import { isPageUrl } from './page-paths';

/** The largest request body read (100 KB, what the API took on Express): a JSON API's inputs are small. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** The bodies this API reads: application/json and its `+json` forms (e.g. application/merge-patch+json). */
const JSON_TYPE = /^[^/\s;]+\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

/** text/plain bodies, read only by routes that say so with @RouteConfig({ textBody: true }) (protocols that are text). */
const TEXT_TYPE = /^text\/plain\s*(?:;|$)/i;

/** A body that is not JSON, or not an object or an array at its top (a bare string or number is no request). */
export class MalformedJsonBody extends Error {}

/**
 * How requests are read, in one place: bodies are JSON in UTF-8 (RFC 8259 §8.1) and query strings
 * are percent-encoded UTF-8. Left to themselves, the parsers would decode other bytes to U+FFFD and
 * store that, and would read form bodies into the DTOs; each of these is refused instead.
 * Every content-type parser of the platform is replaced, so that no other one reads bodies first.
 */
export function useStrictRequestParsing(http: FastifyInstance): void {
  // A route that reads a larger body says so with @RouteConfig({ bodyLimit }); every other keeps BODY_LIMIT_BYTES.
  http.addHook('onRoute', (route) => {
    const bodyLimit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
    if (typeof bodyLimit === 'number') route.bodyLimit = bodyLimit;
  });
  http.addHook('onRequest', (request, _reply, done) => done(undecodableQuery(request.url)));
  http.removeAllContentTypeParsers();
  http.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, readJson(request, body as Buffer));
    } catch (error) {
      done(error as Error);
    }
  });
  // The web pages' forms (the API's routes refuse them as any other non-JSON body).
  http.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    if (!isPageUrl(request.url)) return done(unsupported(request));
    try {
      done(null, readForm(body as Buffer));
    } catch (error) {
      done(error as Error);
    }
  });
  http.addContentTypeParser(TEXT_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    if ((request.routeOptions.config as { textBody?: unknown } | undefined)?.textBody !== true) return done(unsupported(request));
    try {
      done(null, readText(request, body as Buffer));
    } catch (error) {
      done(error as Error);
    }
  });
  // Any other type: 415, before the body is read (one declared empty reads as no body at all).
  http.addContentTypeParser('*', (request, _payload, done) => {
    if (request.headers['content-length'] === '0') return done(null, {});
    done(unsupported(request));
  });
  // A request without content (a body-less POST, as curl -X POST sends it) reads as `{}`.
  http.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined) request.body = {};
    done();
  });
}

function unsupported(request: FastifyRequest): CommonError {
  const type = request.headers['content-type'] ?? '';
  return new CommonError(CommonErrorCode.UnsupportedMediaType, `Request bodies are application/json; this one is ${type.split(';')[0].slice(0, 100) || 'untyped'}.`);
}

/** A form's fields, each once (a repeated field keeps its last value): the pages' forms repeat none. */
function readForm(body: Buffer): Record<string, string> {
  if (!isUtf8(body)) throw new CommonError(CommonErrorCode.InvalidInput, 'The form is not valid UTF-8.', { errors: [{ path: '', message: 'must be UTF-8' }] });
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) fields[name] = value;
  return fields;
}

/** A text body in UTF-8, as a string; the route parses it. */
function readText(request: FastifyRequest, body: Buffer): string {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8') throw new CommonError(CommonErrorCode.UnsupportedMediaType, `Text bodies are UTF-8; this one declares charset=${charset.slice(0, 40)}.`);
  if (!isUtf8(body)) throw new CommonError(CommonErrorCode.InvalidInput, 'The request body is not valid UTF-8.', { errors: [{ path: '', message: 'must be UTF-8' }] });
  return body.toString('utf8');
}

/** For a route with a text body: anything else (JSON, or no body) is refused as the wrong media type. */
export class TextBodyPipe implements PipeTransform<unknown, string> {
  transform(body: unknown): string {
    if (typeof body !== 'string') throw new CommonError(CommonErrorCode.UnsupportedMediaType, 'This route reads a text/plain body (UTF-8).');
    return body;
  }
}

function readJson(request: FastifyRequest, body: Buffer): unknown {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8') {
    throw new CommonError(CommonErrorCode.UnsupportedMediaType, `JSON bodies are UTF-8; this one declares charset=${charset.slice(0, 40)}.`);
  }
  if (body.length === 0) return {};
  if (!isUtf8(body)) {
    throw new CommonError(CommonErrorCode.InvalidInput, 'The request body is not valid UTF-8.', { errors: [{ path: '', message: 'must be UTF-8' }] });
  }
  const text = body.toString('utf8');
  // An object or an array at the top, as the API has always read bodies: a bare string or number is no request.
  if (!/^[ \t\n\r]*[[{]/.test(text)) throw new MalformedJsonBody();
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedJsonBody();
  }
}

/** The charset parameter of a Content-Type (RFC 9110 §8.3.2), quoted or not. */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/** A refusal for the first query parameter whose percent-encoding does not decode to UTF-8 (or is not percent-encoding at all). */
function undecodableQuery(url: string): CommonError | undefined {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  for (const pair of url.slice(start + 1).split('&')) {
    const [name, value = ''] = pair.split(/=(.*)/s);
    if (decodes(name) && decodes(value)) continue;
    const path = decodes(name) ? decodeQueryPart(name) : name;
    return new CommonError(CommonErrorCode.InvalidInput, `Query parameter "${path}" is not percent-encoded UTF-8.`, {
      errors: [{ path, message: 'must be percent-encoded UTF-8' }],
    });
  }
  return undefined;
}

const decodeQueryPart = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));

function decodes(part: string): boolean {
  try {
    decodeQueryPart(part);
    return true;
  } catch {
    return false;
  }
}
