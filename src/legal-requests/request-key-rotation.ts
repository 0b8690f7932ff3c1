import { Injectable, OnModuleInit } from '@nestjs/common';
import { MasterKeyWrappedRegistry } from '../identity/master-key-wrapped';
import { unwrapRequestKey, wrapRequestKey } from './legal-request-crypto';
import { countRequestKeysWrappedBy, requestKeysWrappedBy, rewrapRequestKeys } from './legal-requests.store';

/** The requests' keys are wrapped by the master key: `lanterne rotate-master-key` re-wraps them with the vault's. */
@Injectable()
export class RequestKeyRotation implements OnModuleInit {
  constructor(private readonly registry: MasterKeyWrappedRegistry) {}

  onModuleInit(): void {
    this.registry.register('legal-request-keys', {
      countWrappedBy: countRequestKeysWrappedBy,
      rewrap: async (em, { from, to, oldKey, newKey, limit }) => {
        const batch = await requestKeysWrappedBy(em, from, limit);
        const rewrapped = batch.map((row) => ({ id: row.id, wrapped: wrapRequestKey(newKey, row.id, unwrapRequestKey(oldKey, row.id, row.wrapped_key)) }));
        if (rewrapped.length > 0) await rewrapRequestKeys(em, rewrapped, to);
        return rewrapped.length;
      },
    });
  }
}
