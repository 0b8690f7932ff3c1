import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { NamedRegistry } from '../common/named-registry';
import { RECTIFIABLE_FIELDS, RectifiableField } from './rectifications.schemas';

export interface RectifiableFieldHandler {
  /** The field's own rules, the same as when a technician types it: a proposed value failing them is a 400. */
  schema: z.ZodType<string, string>;
  /** Applies an accepted value in the resolving transaction, through the owning context's service. */
  apply(em: EntityManager, subscriberId: string, value: string): Promise<void>;
}

/**
 * Who applies an accepted rectification of each field: the context that holds it (subscribers, for
 * the operational record), registered in its onModuleInit, since it imports privacy and not the
 * other way round. A field without its handler stops the start.
 */
@Injectable()
export class RectifiableFields implements OnApplicationBootstrap {
  readonly registry = new NamedRegistry<RectifiableField, RectifiableFieldHandler>('Rectifiable field', RECTIFIABLE_FIELDS);

  register(field: RectifiableField, handler: RectifiableFieldHandler): void {
    this.registry.register(field, handler);
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}
