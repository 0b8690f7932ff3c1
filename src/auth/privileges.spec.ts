import { mayChangePrivilegesDirectly, privilegeChanges, rolesAfter } from './privileges';

describe('privilege changes', () => {
  it('names-the-privileged-roles-granted-and-removed-and-nothing-else', () => {
    expect(privilegeChanges(['technician'], ['technician', 'admin'])).toEqual({ granted: ['admin'], removed: [] });
    expect(privilegeChanges(['ccj', 'admin'], ['technician'])).toEqual({ granted: [], removed: ['admin', 'ccj'] });
    expect(privilegeChanges(['technician'], ['technician', 'observer'])).toEqual({ granted: [], removed: [] });
  });

  it('lets-only-the-bootstrap-admin-and-the-system-change-directly-and-only-during-the-bootstrap', () => {
    const during = { accountId: 'a', endedAt: null };
    expect(mayChangePrivilegesDirectly('a', during)).toBe(true);
    expect(mayChangePrivilegesDirectly(null, during)).toBe(true);
    expect(mayChangePrivilegesDirectly('b', during)).toBe(false);
    const after = { accountId: 'a', endedAt: new Date() };
    expect(mayChangePrivilegesDirectly('a', after)).toBe(false);
    expect(mayChangePrivilegesDirectly(null, after)).toBe(false);
  });

  it('turns-an-observer-into-an-admin-and-removes-only-the-named-role', () => {
    expect(rolesAfter(['observer', 'technician'], 'admin', 'grant')).toEqual(['technician', 'admin']);
    expect(rolesAfter(['observer'], 'ccj', 'grant')).toEqual(['observer', 'ccj']);
    expect(rolesAfter(['admin', 'ccj'], 'ccj', 'revoke')).toEqual(['admin']);
    expect(rolesAfter(['admin'], 'admin', 'grant')).toEqual(['admin']);
  });
});
