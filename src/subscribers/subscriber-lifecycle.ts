import type { SubscriberStatus } from './subscriber.entity';

/**
 * `pending` → `active` → `suspended` ⇄ `active` → `terminated`; a pending member who never
 * became active may also be terminated (a cancelled membership). Terminated is final.
 */
const TRANSITIONS: Record<SubscriberStatus, readonly SubscriberStatus[]> = {
  pending: ['active', 'terminated'],
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: [],
};

export function canTransition(from: SubscriberStatus, to: SubscriberStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
