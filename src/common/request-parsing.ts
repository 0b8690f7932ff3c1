import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OptionsJson } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { CommonError, CommonErrorCode } from './common.errors';

/** The bodies this API reads; `+json` covers e.g. application/merge-patch+json. */
const JSON_TYPES = ['application/json', '+json'];

/**
 * How requests are read, in one place: bodies are JSON in UTF-8 (RFC 8259 §8.1) and query strings
 * are percent-encoded UTF-8. Left to themselves, the parsers would decode other bytes to U+FFFD and
 * store that, and would read form bodies into the DTOs; each of these is refused instead.
 * The app must be created with `bodyParser: false`, so that no other parser reads bodies first.
 */
export function useStrictRequestParsing(app: NestExpressApplication): void {
  app.use(refuseUndecodableQuery);
  app.use(refuseUnreadableBodies);
  // Nest's typing leaves `verify` out because its rawBody option would replace it; that option is not used here.
  const json: OptionsJson = { type: JSON_TYPES, verify: refuseNonUtf8Body };
  app.useBodyParser<OptionsJson>('json', json);
}

/** 415 for content that is not JSON in UTF-8; a request without content (a body-less POST) reads as `{}`. */
function refuseUnreadableBodies(req: Request, _res: Response, next: NextFunction): void {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0)) {
    req.body = {};
    return next();
  }
  const type = req.headers['content-type'] ?? '';
  if (!req.is(JSON_TYPES)) {
    return next(new CommonError(CommonErrorCode.UnsupportedMediaType, `Request bodies are application/json; this one is ${type.split(';')[0].slice(0, 100) || 'untyped'}.`));
  }
  const charset = CHARSET.exec(type)?.[1].toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8') {
    return next(new CommonError(CommonErrorCode.UnsupportedMediaType, `JSON bodies are UTF-8; this one declares charset=${charset.slice(0, 40)}.`));
  }
  next();
}

/** The charset parameter of a Content-Type (RFC 9110 §8.3.2), quoted or not. */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

function refuseNonUtf8Body(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) {
    throw new CommonError(CommonErrorCode.InvalidInput, 'The request body is not valid UTF-8.', { errors: [{ path: '', message: 'must be UTF-8' }] });
  }
}

/** Query parameters whose percent-encoding does not decode to UTF-8 (or is not percent-encoding at all). */
function refuseUndecodableQuery(req: Request, _res: Response, next: NextFunction): void {
  const start = req.url.indexOf('?');
  if (start < 0) return next();
  for (const pair of req.url.slice(start + 1).split('&')) {
    const [name, value = ''] = pair.split(/=(.*)/s);
    if (decodes(name) && decodes(value)) continue;
    const path = decodes(name) ? decodeQueryPart(name) : name;
    return next(
      new CommonError(CommonErrorCode.InvalidInput, `Query parameter "${path}" is not percent-encoded UTF-8.`, {
        errors: [{ path, message: 'must be percent-encoded UTF-8' }],
      }),
    );
  }
  next();
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
