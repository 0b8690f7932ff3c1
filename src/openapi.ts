import { applyDecorators, INestApplication, RequestMethod, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiOperation, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ACCESS_METADATA, admittedRoles, NOT_AN_OPERATION, ROLES, RouteAccess } from './common/access';
import { ProblemSchema } from './common/problem.schema';

/** The statuses a route's own rules can answer; the others follow from its access, parameters and body. */
export type RuleProblem = 403 | 404 | 409 | 422;

export interface OperationDoc {
  /** The operationId: what a generated client names the call. */
  id: string;
  summary: string;
  /** For client authors: what the call does, what it records, and when it refuses. */
  description: string;
  /** The success body; null for 204. Its status comes from the route (@HttpCode, or 201 for POST). */
  answer: z.ZodType | null;
  /** Media type(s) of the success body, application/json unless given (several when the answer's type depends on what it is: a stored document). */
  mediaType?: string | readonly string[];
  /** The same answer in other media types, each with its own schema, chosen by the request (Accept, a format parameter). */
  variants?: { mediaType: string; schema: z.ZodType }[];
  problems?: RuleProblem[];
  /** Answers that are not problems, such as /health's 503 report (application/json unless given). */
  also?: { status: number; description: string; schema: z.ZodType; mediaType?: string }[];
}

const OPERATION_DOC = 'lanterne:operation-doc';

// @nestjs/swagger exports only the document's type; its parts are read from it.
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ParameterObject = Extract<NonNullable<OperationObject['parameters']>[number], { in: string }>;
type ResponseObject = Extract<OperationObject['responses'][string], { description: string }>;
type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

/** How a route is described in the OpenAPI document; a route without it stops the document from being built. */
export const Operation = (doc: OperationDoc) =>
  applyDecorators(ApiOperation({ operationId: doc.id, summary: doc.summary, description: doc.description }), SetMetadata(OPERATION_DOC, doc));

const PROBLEMS: Record<number, { name: string; description: string; retryAfter?: boolean }> = {
  400: { name: 'BadRequest', description: 'Malformed JSON, a parameter or field of the wrong shape (see `errors`), or a question that cannot have an answer.' },
  401: { name: 'Unauthorized', description: 'No bearer token, or one that is unknown or revoked.' },
  403: {
    name: 'Forbidden',
    description: 'The token is valid but none of its roles may call this route; or, for the witness, the checkpoint bears no valid signature of the key trusted for its origin.',
  },
  404: { name: 'NotFound', description: 'An id (in the path or the body) that names nothing, or a ledger size the log has not reached.' },
  409: { name: 'Conflict', description: 'The state does not allow it now (e.g. pool exhausted, address in quarantine, already ended); `type` says which.' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not `application/json`.' },
  422: { name: 'UnprocessableContent', description: 'Well-formed but impossible (e.g. an inner MTU below the minimum of a carried family).' },
  429: {
    name: 'TooManyRequests',
    description:
      'Too many failed authentications from this address (any request carrying a bearer token counts, even to a public route), or a limit of the route itself ' +
      '(resending a verification code): wait `Retry-After` seconds.',
    retryAfter: true,
  },
  503: { name: 'ServiceUnavailable', description: 'The database cannot be reached now: retry after `Retry-After` seconds.', retryAfter: true },
};

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'Done; no body.' };

interface Route {
  doc: OperationDoc;
  access: RouteAccess;
  status: number;
}

/** Every documented route, by operationId, with what Nest knows of it: its access and its success status. */
function routesOf(app: INestApplication): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        // Web pages and their stylesheet are not API operations.
        if (Reflect.getMetadata(NOT_AN_OPERATION, handler)) continue;
        const doc = Reflect.getMetadata(OPERATION_DOC, handler) as OperationDoc | undefined;
        if (!doc) throw new Error(`${metatype.name}.${key} has no @Operation: every route documents its answer`);
        if (routes.has(doc.id)) throw new Error(`operationId ${doc.id} is used twice`);
        const access = (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, metatype)) as RouteAccess;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
        routes.set(doc.id, { doc, access, status });
      }
    }
  }
  return routes;
}

/**
 * Response schemas straight from zod (JSON Schema 2020-12, what OpenAPI 3.1 uses), not through
 * @nestjs/swagger's property metadata, which reads zod's `type: ["string", "null"]` as an array.
 * Schemas with a `.meta({ id })` become components, referenced wherever they are used.
 */
class ResponseSchemas {
  readonly components: Record<string, SchemaObject> = {};

  ref(schema: z.ZodType): SchemaObject {
    const { $schema: _, $defs = {}, ...root } = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' }) as Record<string, unknown> & { $defs?: Record<string, unknown> };
    for (const [id, definition] of Object.entries($defs)) {
      const component = toComponents(definition);
      if (this.components[id] && !isDeepStrictEqual(this.components[id], component)) throw new Error(`two response schemas are named ${id}`);
      this.components[id] = component;
    }
    return toComponents(root);
  }
}

const toComponents = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as SchemaObject;

/** Fills each operation from its @Operation and its access: security, success body, and the problems it can answer. */
function describeOperations(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const routes = routesOf(app);
  const schemas = new ResponseSchemas();
  const problem = schemas.ref(ProblemSchema);
  const problemsUsed = new Set<number>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      const route = routes.get(operation.operationId ?? '');
      if (!route) throw new Error(`${method.toUpperCase()} ${path} has no @Operation`);
      routes.delete(route.doc.id);
      const { doc, access, status } = route;

      const responses: Record<string, ResponseObject | { $ref: string }> = {};
      responses[status] = doc.answer
        ? {
            description: doc.answer.description ?? SUCCESS[status],
            content: Object.fromEntries([
              ...[doc.mediaType ?? 'application/json'].flat().map((type) => [type, { schema: schemas.ref(doc.answer as z.ZodType) }]),
              ...(doc.variants ?? []).map((variant) => [variant.mediaType, { schema: schemas.ref(variant.schema) }]),
            ]),
          }
        : { description: SUCCESS[status] };
      for (const other of doc.also ?? []) {
        responses[other.status] = { description: other.description, content: { [other.mediaType ?? 'application/json']: { schema: schemas.ref(other.schema) } } };
      }

      const parameters = (operation.parameters ?? []) as ParameterObject[];
      for (const parameter of parameters) {
        // Every :id of the API is a UUID (IdParamPipe); anything else is a 400, not a 404.
        if (parameter.in === 'path' && parameter.name === 'id') {
          parameter.schema = { type: 'string', format: 'uuid' };
          parameter.description = 'A UUID; anything else is a 400.';
        }
      }
      const statuses = new Set<number>(doc.problems ?? []);
      if (parameters.length > 0 || operation.requestBody) statuses.add(400);
      if (parameters.some((p) => p.in === 'path' && p.name === 'id')) statuses.add(404);
      if (operation.requestBody) statuses.add(415);
      // The guard checks any token sent, so a public route too refuses a client over the failure limit.
      statuses.add(429);
      const admitted = access.public ? ROLES : admittedRoles(access.roles, method);
      if (!access.public) {
        statuses.add(401);
        if (!ROLES.every((role) => admitted.includes(role))) statuses.add(403);
      }
      if (!responses[503]) statuses.add(503);
      for (const code of [...statuses].sort((a, b) => a - b)) {
        responses[code] = { $ref: `#/components/responses/${PROBLEMS[code].name}` };
        problemsUsed.add(code);
      }
      operation.responses = responses;
      operation.security = access.public ? [] : [{ bearer: [] }];
      if (access.public) operation.description = `${doc.description} Public: no token needed.`;
      else operation.description = `${doc.description} Roles: ${admitted.join(', ')}.`;
    }
  }
  if (routes.size > 0) throw new Error(`documented but not routed: ${[...routes.keys()].join(', ')}`);

  const responses: Record<string, ResponseObject> = {};
  for (const code of [...problemsUsed].sort((a, b) => a - b)) {
    const { name, description, retryAfter } = PROBLEMS[code];
    responses[name] = {
      description,
      ...(retryAfter ? { headers: { 'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer', minimum: 0 } } } } : {}),
      content: { 'application/problem+json': { schema: problem } },
    };
  }
  return { ...document, components: { ...document.components, schemas: { ...document.components?.schemas, ...schemas.components }, responses } };
}

const TAGS: [string, string][] = [
  ['accounts', 'Accounts and their bearer tokens. Every change is recorded in the ledger.'],
  ['subscribers', 'Members: operational data only (the legal identity lives in the vault).'],
  ['subscriptions', 'What a member subscribes to; ending one releases what it held.'],
  ['ip-pools', 'IPv4 and IPv6 pools, cut into blocks of assignLength.'],
  ['ip-assignments', 'Blocks held by subscriptions over time: "who held this address at T".'],
  ['dns', 'Reverse DNS: PTR names on the addresses subscriptions hold, and the reverse zones of every pool.'],
  ['provisioning', 'What routers follow: the change feed, also sent as signed webhooks.'],
  ['tunnels', 'Tunnel MTU and MSS, operator presets, and CPE-side configuration.'],
  ['cpe', 'Customer equipment: inventory, loans and returns.'],
  ['verifications', "A member's phone or postal address verified by a code; what is verified is sealed in the vault, never shown here."],
  ['outbox', 'Outgoing SMS, letters and e-mails: how sending went, never what they said.'],
  ['ledger', 'The tamper-evident log (RFC 9162): checkpoints, entries, proofs, verification.'],
  ['circles', 'Who sits in the ccj and the board, with the ccj members\' accreditations.'],
  ['proposals', 'Decisions by consent in a circle: proposals, positions with their history, closing with a tally.'],
  ['retention', 'How long each category of personal data is kept (jurisdiction profile and overrides), and the purge.'],
  ['legal-requests', "Requests of the justice system, as the ccj circle receives them, with the authority's documents sealed."],
  ['transparency', 'How many legal requests, of which kind, with which outcome: per year, small counts masked.'],
  ['canary', 'The warrant canary: a statement adopted by the ccj circle, signed with the ledger key, lapsed unless renewed.'],
  ['privacy', "What the association holds about a member: their own export, rectifications, and the public data map."],
  ['governance', 'Privileges granted by an adopted board proposal, and the public log of admin actions.'],
  ['witness', 'Lanterne as a C2SP witness (c2sp.org/tlog-witness) of other associations\' logs: it cosigns only a checkpoint consistent with what it saw.'],
  ['health', 'Whether this instance can serve.'],
];

/** OpenAPI 3.1 generated from the same zod schemas that validate requests and describe answers. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Lanterne')
    .setDescription(
      'Back-office of a non-profit Internet access provider. JSON over HTTP under /api/v1, with `Authorization: Bearer <token>`. ' +
        'Errors are RFC 9457 `application/problem+json`; never a 500 for bad input. Ids are UUIDs; times are RFC 3339 UTC. ' +
        'Lists take `?limit=` (1..500, default 50) and `?offset=` and answer `{items, total, limit, offset}`; ' +
        'an out-of-range or non-numeric value is a 400.',
    )
    .setVersion('1')
    .setLicense('AGPL-3.0-or-later', 'https://www.gnu.org/licenses/agpl-3.0.html')
    .addServer('/', 'This instance: the origin this document is served from')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'lnt_<opaque>',
        description: 'An opaque token starting with lnt_, shown once by POST /users, POST /users/{id}/token or `lanterne create-admin`.',
      },
      'bearer',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  // Each instance is run by its own provider: the contact is theirs, not the project's.
  config.info.contact = { name: 'The operator of this instance' };
  return describeOperations(app, cleanupOpenApiDoc(SwaggerModule.createDocument(app, config)));
}

/**
 * /docs and /api/v1/openapi.json. The document is built on its first request, not at start-up
 * (it costs a few tenths of a second there); the start-up check that every route has its
 * @Operation stays, and `lanterne openapi` and the contract test build the whole document.
 */
export function setUpOpenApi(app: INestApplication): void {
  routesOf(app);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/v1/openapi.json' });
}

