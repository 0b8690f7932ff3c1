/**
 * `lanterne verify --admin-actions`: a page of the public log of admin actions held against a signed
 * checkpoint the caller has already verified. No Nest, no database: fetch and hashes.
 */
import { z } from 'zod';
import type { Checkpoint } from '../ledger/checkpoint';
import { verifyInclusion } from '../ledger/merkle';
import { hexBuffer, LedgerApi } from '../ledger/remote-verify';
import { AdminActionPageSchema } from './governance.schemas';

export interface AdminActionsCheck {
  ok: boolean;
  checked: string[];
  notChecked: string[];
  failure?: string;
}

/**
 * Fetches one page at the checkpoint's tree size with proofs and checks that each entry's leaf hash is
 * at its index in the signed tree. It proves the entries shown are in the log the checkpoint signed
 * (so they cannot later be removed or changed unseen); not that the fields shown are those of the leaf,
 * which only whoever may read the entries can recompute, nor that no admin action was left off the view.
 */
export async function verifyAdminActionsPage(url: string, checkpoint: Checkpoint, page: { limit: number; offset: number }): Promise<AdminActionsCheck> {
  const api = new LedgerApi(url);
  const root = hexBuffer(checkpoint.rootHash);
  try {
    const answer = AdminActionPageSchema.parse(
      await api.get(`/public/admin-actions?proofs=true&treeSize=${checkpoint.treeSize}&limit=${page.limit}&offset=${page.offset}`),
    );
    if (answer.treeSize !== checkpoint.treeSize) return { ok: false, checked: [], notChecked: [], failure: `the admin actions answered for a tree of ${answer.treeSize}, not ${checkpoint.treeSize}` };
    for (const item of answer.items) {
      if (!item.inclusionProof || !verifyInclusion(hexBuffer(item.leafHash), item.index, checkpoint.treeSize, item.inclusionProof.map(hexBuffer), root)) {
        return { ok: false, checked: [], notChecked: [], failure: `admin action ${item.index} (${item.action}): its inclusion proof does not lead to the signed root` };
      }
    }
    return {
      ok: true,
      checked: [`${answer.items.length} admin action(s) (offset ${page.offset} of ${answer.total}): each is in the signed log at its index`],
      notChecked: ['that the fields the public view shows are those of each leaf (it withholds ids): only a token that may read entries can compare them'],
    };
  } catch (error) {
    return { ok: false, checked: [], notChecked: [], failure: error instanceof z.ZodError ? `the server answered something malformed: ${error.issues[0]?.message}` : String((error as Error).message) };
  }
}
