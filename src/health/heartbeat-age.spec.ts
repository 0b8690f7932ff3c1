import { HEARTBEAT_EVERY_MS, heartbeatState } from './heartbeat-age';

const now = new Date('2026-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('heartbeatState', () => {
  it('is none before any worker has beaten', () => {
    expect(heartbeatState(null, now)).toBe('none');
  });

  it('is ok up to three periods after the last beat', () => {
    expect(heartbeatState(ago(0), now)).toBe('ok');
    expect(heartbeatState(ago(3 * HEARTBEAT_EVERY_MS), now)).toBe('ok');
  });

  it('is stale past three periods', () => {
    expect(heartbeatState(ago(3 * HEARTBEAT_EVERY_MS + 1), now)).toBe('stale');
    expect(heartbeatState(ago(6 * 3600_000), now)).toBe('stale');
  });
});
