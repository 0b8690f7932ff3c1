import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const ROLES = ['admin', 'technician', 'ccj', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the bearer token. */
export interface Principal {
  accountId: string;
  name: string;
  roles: Role[];
  subscriberId: string | null;
}

export const ACCESS_METADATA = 'lanterne:access';
export type RouteAccess = { public: true } | { public: false; roles: Role[] };

/** The roles allowed on a route. Every route states its access: one without it refuses to start. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCESS_METADATA, { public: false, roles } satisfies RouteAccess);

/** A route anyone may call without a token (health, transparency, checkpoints). */
export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies RouteAccess);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
