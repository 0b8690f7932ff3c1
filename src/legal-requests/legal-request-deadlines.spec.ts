import { LEGAL_REQUEST_STATUSES } from './legal-request-status';
import { reminderDue } from './legal-request-deadlines';

const dueAt = new Date('2026-06-10T12:00:00Z');
const at = (text: string) => new Date(text);

describe('legal request deadline reminders', () => {
  it('calls for nothing more than three days before the deadline', () => {
    expect(reminderDue({ status: 'received', dueAt }, at('2026-06-07T11:59:59.999Z'))).toBeNull();
  });

  it('calls for due-soon from three days before the deadline until it passes', () => {
    expect(reminderDue({ status: 'received', dueAt }, at('2026-06-07T12:00:00Z'))).toBe('due-soon');
    expect(reminderDue({ status: 'under-review', dueAt }, at('2026-06-10T11:59:59.999Z'))).toBe('due-soon');
  });

  it('calls for overdue from the deadline on, and never for due-soon once it passed', () => {
    expect(reminderDue({ status: 'decided', dueAt }, dueAt)).toBe('overdue');
    expect(reminderDue({ status: 'received', dueAt }, at('2027-01-01T00:00:00Z'))).toBe('overdue');
  });

  it('calls for nothing on a request without a deadline', () => {
    expect(reminderDue({ status: 'received', dueAt: null }, dueAt)).toBeNull();
  });

  it('calls for nothing once the request is answered or closed, and for a reminder in every status before', () => {
    const reminded = LEGAL_REQUEST_STATUSES.filter((status) => reminderDue({ status, dueAt }, dueAt) !== null);
    expect(reminded).toEqual(['received', 'under-review', 'decided']);
  });
});
