import { webhookMessage } from './webhook-message';

describe('webhookMessage', () => {
  it('names the message after the change and carries it as {type, timestamp, data}', () => {
    const message = webhookMessage({
      seq: '42',
      kind: 'ptr.changed',
      subscriptionId: '9f1c0f5e-3c1e-4d7e-9b1a-2f0d6a9b8c7d',
      details: { assignmentId: 'a', address: '192.0.2.5', ptr: null },
      at: new Date('2026-06-01T12:00:00Z'),
    });
    expect(message.id).toBe('change-42');
    expect(JSON.parse(message.body)).toEqual({
      type: 'ptr.changed',
      timestamp: '2026-06-01T12:00:00.000Z',
      data: { seq: 42, subscriptionId: '9f1c0f5e-3c1e-4d7e-9b1a-2f0d6a9b8c7d', details: { assignmentId: 'a', address: '192.0.2.5', ptr: null } },
    });
  });
});
