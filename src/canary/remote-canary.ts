/**
 * `lanterne verify-canary` from outside: the canary's signature is checked against the key of the
 * ledger's checkpoint (itself checked), never against the key the canary names alone, and its
 * status is judged by this machine's clock as well as the server's word. No Nest, no database.
 */
import { z } from 'zod';
import { verifyCheckpoint } from '../ledger/checkpoint';
import { CheckpointSchema } from '../ledger/ledger.schemas';
import { LedgerApi } from '../ledger/remote-verify';
import { canaryStatus } from './canary-lapse';
import { canaryText, verifyCanary } from './canary-signature';
import { CanaryView, CanaryViewSchema } from './canary.schemas';

export interface RemoteCanaryReport {
  /** 0: signed by the ledger key and current; 1: not verified; 2: verified but lapsed. */
  exitCode: 0 | 1 | 2;
  canary?: CanaryView;
  status?: 'current' | 'lapsed';
  failure?: string;
}

export async function verifyRemoteCanary(url: string, now: Date): Promise<RemoteCanaryReport> {
  const api = new LedgerApi(url);
  try {
    const canary = CanaryViewSchema.parse(await api.get('/canary'));
    const checkpoint = CheckpointSchema.parse(await api.get('/ledger/checkpoint'));
    if (!verifyCheckpoint(checkpoint.publicKey, checkpoint)) return { exitCode: 1, canary, failure: "the ledger checkpoint's signature does not verify, so its key cannot be trusted" };
    if (!verifyCanary(canary.publicKey, canary)) return { exitCode: 1, canary, failure: 'the signature does not verify over the statement and dates served' };
    if (!verifyCanary(checkpoint.publicKey, canary)) return { exitCode: 1, canary, failure: 'the canary is signed by a key other than the ledger key of the checkpoint' };
    if (canary.signedText !== canaryText(canary.issuedAt, canary.renewBy, canary.statement)) {
      return { exitCode: 1, canary, failure: 'the signedText served is not the canonical text of this canary' };
    }
    // The server says lapsed, or this clock does: a server answering "current" past renewBy is not believed.
    const status = canary.status === 'lapsed' || canaryStatus(new Date(canary.renewBy), now) === 'lapsed' ? 'lapsed' : 'current';
    return { exitCode: status === 'lapsed' ? 2 : 0, canary, status };
  } catch (error) {
    return { exitCode: 1, failure: error instanceof z.ZodError ? `the server answered something malformed: ${error.issues[0]?.message}` : (error as Error).message };
  }
}
