import { canTransition } from './subscriber-lifecycle';

describe('subscriber lifecycle', () => {
  it.each([
    ['pending', 'active'],
    ['active', 'suspended'],
    ['suspended', 'active'],
    ['active', 'terminated'],
    ['suspended', 'terminated'],
    ['pending', 'terminated'],
  ] as const)('allows %s → %s', (from, to) => expect(canTransition(from, to)).toBe(true));

  it.each([
    ['pending', 'suspended'],
    ['terminated', 'active'],
    ['terminated', 'pending'],
    ['active', 'pending'],
    ['active', 'active'],
  ] as const)('refuses %s → %s', (from, to) => expect(canTransition(from, to)).toBe(false));
});
