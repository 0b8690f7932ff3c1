import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';

/** `observer`: reads what an admin reads and changes nothing (a new admin, until the board grants the role). */
export const ROLES = ['admin', 'technician', 'ccj', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles only an adopted board proposal grants or removes (the bootstrap admin excepted, until the first one). */
export const PRIVILEGED_ROLES = ['admin', 'ccj'] as const;
export type PrivilegedRole = (typeof PRIVILEGED_ROLES)[number];

/**
 * Who is acting: the account behind the bearer token and the one role under which it acts on this
 * route (the first of its roles that the route admits), which is what the ledger records. Start-up
 * and the command line act as the system, which has no account.
 */
export interface Actor {
  id: string | null;
  name: string;
  roles: Role[];
  role: Role | 'system';
  subscriberId: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, name: 'system', roles: [], role: 'system', subscriberId: null });

/** Whether the actor reads as an admin does (an admin, or an observer), where a service checks who may read. */
export function readsAsAdmin(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.includes('admin') || actor.roles.includes('observer');
}

export const ACCESS_METADATA = 'lanterne:access';
export type RouteAccess = { public: true } | { public: false; roles: Role[] };

/** The HTTP methods that read: an observer is admitted on every such route that admits an admin. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The roles a route admits for a request of this method: its declared roles, and on a read of a route
 * that admits an admin, the observer too. The one place where observers are let in (the guard and the
 * OpenAPI document both ask it), so no route lists them and none can forget them.
 */
export function admittedRoles(roles: readonly Role[], method: string): readonly Role[] {
  return READ_METHODS.has(method.toUpperCase()) && roles.includes('admin') && !roles.includes('observer') ? [...roles, 'observer'] : roles;
}

/** The roles allowed on a route. Every route states its access: one without it refuses to start. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCESS_METADATA, { public: false, roles } satisfies RouteAccess);

/** A route anyone may call without a token (health, transparency, checkpoints). */
export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies RouteAccess);

export const NOT_AN_OPERATION = 'lanterne:not-an-operation';

/** A route outside the API (a web page, its stylesheet): no OpenAPI operation, hidden from the document. */
export const NotAnOperation = () => applyDecorators(SetMetadata(NOT_AN_OPERATION, true), ApiExcludeEndpoint());

/** The caller; set by the guard on every request that carried a valid token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
