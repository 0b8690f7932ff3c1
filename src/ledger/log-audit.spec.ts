import { canonicalJson } from './canonical-json';
import { LogAudit } from './log-audit';
import { leafHash, merkleRoot, nodeHashesOf, nodeKey, RootAccumulator, TreeNode } from './merkle';

const leaves = Array.from({ length: 13 }, (_, i) => canonicalJson({ index: i, action: 'test' }));
const hashes = leaves.map(leafHash);
const lookup = (nodes: TreeNode[]) => {
  const hashes = nodeHashesOf(nodes);
  return (level: number, index: number) => hashes.get(nodeKey(level, index));
};
const storedNodes = (): TreeNode[] => {
  const accumulator = new RootAccumulator();
  return hashes.flatMap((hash) => accumulator.append(hash));
};

describe('LogAudit', () => {
  it('passes an untouched log against its stored nodes and every anchor', () => {
    const audit = new LogAudit([
      { treeSize: 0, rootHash: merkleRoot([]), label: 'empty' },
      { treeSize: 5, rootHash: merkleRoot(hashes.slice(0, 5)), label: 'five' },
      { treeSize: 13, rootHash: merkleRoot(hashes), label: 'all' },
    ]);
    const stored = lookup(storedNodes());
    leaves.forEach((leaf, i) => audit.add(i, leaf, hashes[i], stored));
    expect(audit.finish()).toBeNull();
    expect(audit.anchorsMatched).toBe(3);
    expect(audit.root().equals(merkleRoot(hashes))).toBe(true);
  });

  it('names a leaf whose bytes no longer hash to its recorded hash', () => {
    const audit = new LogAudit([]);
    leaves.forEach((leaf, i) => audit.add(i, i === 6 ? Buffer.from('forged') : leaf, hashes[i]));
    expect(audit.finish()).toEqual({ index: 6, reason: expect.stringContaining('leaf 6') });
  });

  it('names a leaf rewritten together with its recorded hash, through the stored tree', () => {
    const audit = new LogAudit([]);
    const stored = lookup(storedNodes());
    const forged = Buffer.from('forged');
    leaves.forEach((leaf, i) => audit.add(i, i === 9 ? forged : leaf, i === 9 ? leafHash(forged) : hashes[i], stored));
    expect(audit.finish()?.index).toBe(9);
  });

  it('names the first leaf under a corrupted inner node', () => {
    const nodes = storedNodes().map((node) => (node.level === 2 && node.index === 1 ? { ...node, hash: Buffer.alloc(32) } : node));
    const audit = new LogAudit([]);
    leaves.forEach((leaf, i) => audit.add(i, leaf, hashes[i], lookup(nodes)));
    expect(audit.finish()).toEqual({ index: 4, reason: expect.stringContaining('leaves 4..7') });
  });

  it('fails an anchor whose root differs, a gap, and a log shorter than an anchor', () => {
    const wrongRoot = new LogAudit([{ treeSize: 3, rootHash: Buffer.alloc(32), label: 'the checkpoint of noon' }]);
    leaves.forEach((leaf, i) => wrongRoot.add(i, leaf, hashes[i]));
    expect(wrongRoot.finish()).toEqual({ reason: 'the first 3 leaves do not have the root of the checkpoint of noon' });
    expect(wrongRoot.anchorsMatched).toBe(0);

    const gap = new LogAudit([]);
    gap.add(0, leaves[0], hashes[0]);
    gap.add(2, leaves[2], hashes[2]);
    expect(gap.finish()?.index).toBe(1);

    const short = new LogAudit([{ treeSize: 20, rootHash: Buffer.alloc(32), label: 'a later checkpoint' }]);
    leaves.forEach((leaf, i) => short.add(i, leaf, hashes[i]));
    expect(short.finish()?.reason).toContain('has 13 leaves');
  });
});
