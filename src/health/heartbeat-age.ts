/** How often a worker records that it is alive (the `heartbeat` job's period). */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Three missed beats: a stopped worker or a lost job scheduler, not a slow queue. */
export const HEARTBEAT_STALE_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;

/** `stale`: no worker has run its heartbeat job for three periods; `none`: none has yet. */
export const HEARTBEAT_STATES = ['ok', 'stale', 'none'] as const;
export type HeartbeatState = (typeof HEARTBEAT_STATES)[number];

/** The one rule for "are the workers running their scheduled jobs", for /health and the container check alike. */
export function heartbeatState(lastSeen: Date | null, now: Date): HeartbeatState {
  if (!lastSeen) return 'none';
  return now.getTime() - lastSeen.getTime() > HEARTBEAT_STALE_AFTER_MS ? 'stale' : 'ok';
}
