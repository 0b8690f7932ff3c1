/**
 * Who may change a privilege without a board decision. No Nest or database imports.
 *
 * A privilege is a role of PRIVILEGED_ROLES or a seat in the board circle (which decides privileges).
 * Only an adopted board proposal grants or removes one; the single exception is the bootstrap of a
 * fresh instance: its first admin (and the command line, which acts as the system) may change them
 * directly until the first board proposal is adopted, so that a board can be formed at all.
 */
import { PRIVILEGED_ROLES, PrivilegedRole, Role } from '../common/access';

export interface BootstrapState {
  /** The first admin of the instance, or null before it exists. */
  accountId: string | null;
  /** When the first adopted board proposal ended the bootstrap, or null while it lasts. */
  endedAt: Date | null;
}

/** The privileged roles that going from `from` to `to` grants and removes. */
export function privilegeChanges(from: readonly Role[], to: readonly Role[]): { granted: PrivilegedRole[]; removed: PrivilegedRole[] } {
  return {
    granted: PRIVILEGED_ROLES.filter((role) => to.includes(role) && !from.includes(role)),
    removed: PRIVILEGED_ROLES.filter((role) => from.includes(role) && !to.includes(role)),
  };
}

export function holdsPrivilegedRole(roles: readonly Role[]): boolean {
  return PRIVILEGED_ROLES.some((role) => roles.includes(role));
}

/** The bootstrap admin, or the system (start-up, the command line), while the bootstrap lasts. */
export function mayChangePrivilegesDirectly(actorId: string | null, bootstrap: BootstrapState): boolean {
  return bootstrap.endedAt === null && (actorId === null || actorId === bootstrap.accountId);
}

/** The roles after an adopted grant or removal: a granted admin stops being an observer. */
export function rolesAfter(roles: readonly Role[], role: PrivilegedRole, change: 'grant' | 'revoke'): Role[] {
  if (change === 'revoke') return roles.filter((held) => held !== role);
  if (roles.includes(role)) return [...roles];
  return [...roles.filter((held) => !(role === 'admin' && held === 'observer')), role];
}
