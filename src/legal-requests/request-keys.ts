import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { MasterKeyMismatchError } from '../identity/master-key-check';
import { masterKeyFingerprint } from '../identity/vault-crypto';
import { newRequestKey, unwrapRequestKey, wrapRequestKey } from './legal-request-crypto';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { readWrappedRequestKey } from './legal-requests.store';

/** Each request's own key, wrapped by the master key: what its documents and its disclosure are sealed under. */
@Injectable()
export class RequestKeys {
  readonly fingerprint: string;

  constructor(@Inject(KEY_MATERIAL) private readonly keys: KeyMaterial) {
    this.fingerprint = masterKeyFingerprint(keys.masterKey);
  }

  /** A fresh key for a new request, wrapped. */
  wrapNew(requestId: string): Buffer {
    return wrapRequestKey(this.keys.masterKey, requestId, newRequestKey());
  }

  async keyOf(em: EntityManager, requestId: string): Promise<Buffer> {
    const row = await readWrappedRequestKey(em, requestId);
    if (!row) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
    if (row.masterKey !== this.fingerprint) throw new MasterKeyMismatchError('does not wrap this request key: a master key rotation is under way');
    return unwrapRequestKey(this.keys.masterKey, requestId, row.wrapped);
  }
}
