import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NamedRegistry } from '../common/named-registry';

/**
 * Everything that happens when an assignment is released, in the order it runs, inside the
 * transaction that releases it (one release, or a subscription's end releasing all its blocks), so
 * that the release and what it clears commit together. Each context that hangs something on an
 * assignment registers its handler under its name here.
 */
export const ASSIGNMENT_RELEASE_HANDLERS = [
  /** DNS: the PTR names set inside the block are cleared (kept as history). */
  'dns.clear-reverse-names',
] as const;

export type AssignmentReleaseHandlerName = (typeof ASSIGNMENT_RELEASE_HANDLERS)[number];

export interface ReleasedAssignment {
  id: string;
  subscriptionId: string;
  poolPrefix: string;
  prefix: string;
}

export type AssignmentReleaseHandler = (em: EntityManager, released: ReleasedAssignment, at: Date) => Promise<void>;

/** The handlers of ASSIGNMENT_RELEASE_HANDLERS, registered by their contexts at module init. */
@Injectable()
export class AssignmentReleaseHandlers implements OnApplicationBootstrap {
  private readonly registry = new NamedRegistry<AssignmentReleaseHandlerName, AssignmentReleaseHandler>('Assignment-release handler', ASSIGNMENT_RELEASE_HANDLERS);

  register(name: AssignmentReleaseHandlerName, handle: AssignmentReleaseHandler): void {
    this.registry.register(name, handle);
  }

  missingHandlers(): AssignmentReleaseHandlerName[] {
    return this.registry.missingHandlers();
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }

  async run(em: EntityManager, released: ReleasedAssignment, at: Date): Promise<void> {
    for (const { handler } of this.registry.inOrder()) await handler(em, released, at);
  }
}
