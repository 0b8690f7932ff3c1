import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  NodeCoordinate,
  NodeHashes,
  RootAccumulator,
  TreeNode,
  consistencyProof,
  consistencyProofFromNodes,
  consistencyProofNodes,
  emptyRoot,
  inclusionProof,
  inclusionProofFromNodes,
  inclusionProofNodes,
  leafHash,
  merkleRoot,
  nodeHash,
  nodeHashesOf,
  nodeKey,
  rootFromLeafHashes,
  rootFromNodes,
  rootNodes,
  splitPoint,
  subtreeHashFromNodes,
  subtreeNodes,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

// ---------------------------------------------------------------------------------------------------------
// Published vectors, copied verbatim. Sources (github.com, Apache-2.0):
//   transparency-dev/merkle  testonly/constants.go        LeafInputs, NodeHashes, RootHashes, CompactTrees
//   transparency-dev/merkle  testonly/reference_test.go   TestRefInclusionProof (0-based leaf index)
//   transparency-dev/merkle  proof/verify_test.go         inclusionProofs (1-based leaf), consistencyProofs,
//                                                         sha256SomeHash, and the corrupt*Proof probes
//   transparency-dev/merkle  proof/proof_test.go          TestInclusion, TestConsistency (node IDs)
//   transparency-dev/merkle  rfc6962/rfc6962_test.go      TestRFC6962Hasher
//   transparency-dev/merkle  testonly/vectors_test.go     TestSubtreeHashVectors (draft-ietf-plants-merkle-tree-certs)
// The leaf inputs, roots, paths and consistency proofs are also google/certificate-transparency
// cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs).
// ---------------------------------------------------------------------------------------------------------

const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);

const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];

/** Indexed by tree size, from the empty tree. */
const ROOT_HASHES = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);

/** CompactTrees(): the complete subtrees of each tree size, as [level, index] into NodeHashes. */
const COMPACT_TREES: [number, number][][] = [
  [],
  [[0, 0]],
  [[1, 0]],
  [[1, 0], [0, 2]],
  [[2, 0]],
  [[2, 0], [0, 4]],
  [[2, 0], [1, 2]],
  [[2, 0], [1, 2], [0, 6]],
  [[3, 0]],
];

/** reference_test.go TestRefInclusionProof, 0-based index. */
const REF_INCLUSION_PROOFS: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'] },
  { index: 1, size: 2, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** verify_test.go inclusionProofs; `leaf` is 1-based there, as in kSHA256Paths. {0, 0, nil} is left out: invalid. */
const VERIFY_INCLUSION_PROOFS: { leaf: number; size: number; proof: string[] }[] = [
  { leaf: 1, size: 1, proof: [] },
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

/** verify_test.go consistencyProofs (kSHA256Proofs plus 6→7). */
const CONSISTENCY_PROOFS: { size1: number; size2: number; proof: string[] }[] = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

type Ids = [number, number][];

/** proof_test.go TestInclusion: the nodes (level, index) each proof is built from, errors left out. */
const INCLUSION_NODE_IDS: { size: number; index: number; ids: Ids }[] = [
  { size: 1, index: 0, ids: [] },
  { size: 2, index: 0, ids: [[0, 1]] },
  { size: 2, index: 1, ids: [[0, 0]] },
  { size: 3, index: 1, ids: [[0, 0], [0, 2]] },
  { size: 7, index: 0, ids: [[0, 1], [1, 1], [0, 6], [1, 2]] },
  { size: 7, index: 1, ids: [[0, 0], [1, 1], [0, 6], [1, 2]] },
  { size: 7, index: 2, ids: [[0, 3], [1, 0], [0, 6], [1, 2]] },
  { size: 7, index: 3, ids: [[0, 2], [1, 0], [0, 6], [1, 2]] },
  { size: 7, index: 4, ids: [[0, 5], [0, 6], [2, 0]] },
  { size: 7, index: 5, ids: [[0, 4], [0, 6], [2, 0]] },
  { size: 7, index: 6, ids: [[1, 2], [2, 0]] },
  { size: 4, index: 2, ids: [[0, 3], [1, 0]] },
  { size: 5, index: 3, ids: [[0, 2], [1, 0], [0, 4]] },
  { size: 6, index: 3, ids: [[0, 2], [1, 0], [1, 2]] },
  { size: 6, index: 4, ids: [[0, 5], [2, 0]] },
  { size: 15, index: 10, ids: [[0, 11], [1, 4], [0, 14], [1, 6], [3, 0]] },
  { size: 31, index: 24, ids: [[0, 25], [1, 13], [0, 30], [1, 14], [3, 2], [4, 0]] },
  { size: 95, index: 81, ids: [[0, 80], [1, 41], [2, 21], [0, 94], [1, 46], [2, 22], [4, 4], [6, 0]] },
];

/** proof_test.go TestConsistency, errors left out. */
const CONSISTENCY_NODE_IDS: { size1: number; size2: number; ids: Ids }[] = [
  { size1: 1, size2: 2, ids: [[0, 1]] },
  { size1: 1, size2: 4, ids: [[0, 1], [1, 1]] },
  { size1: 1, size2: 6, ids: [[0, 1], [1, 1], [1, 2]] },
  { size1: 2, size2: 3, ids: [[0, 2]] },
  { size1: 2, size2: 8, ids: [[1, 1], [2, 1]] },
  { size1: 3, size2: 7, ids: [[0, 2], [0, 3], [1, 0], [0, 6], [1, 2]] },
  { size1: 4, size2: 7, ids: [[0, 6], [1, 2]] },
  { size1: 5, size2: 7, ids: [[0, 4], [0, 5], [0, 6], [2, 0]] },
  { size1: 6, size2: 7, ids: [[1, 2], [0, 6], [2, 0]] },
  { size1: 7, size2: 8, ids: [[0, 6], [0, 7], [1, 2], [2, 0]] },
  { size1: 1, size2: 1, ids: [] },
  { size1: 2, size2: 2, ids: [] },
  { size1: 3, size2: 3, ids: [] },
  { size1: 4, size2: 4, ids: [] },
  { size1: 5, size2: 5, ids: [] },
  { size1: 7, size2: 7, ids: [] },
  { size1: 8, size2: 8, ids: [] },
  { size1: 2, size2: 4, ids: [[1, 1]] },
  { size1: 3, size2: 5, ids: [[0, 2], [0, 3], [1, 0], [0, 4]] },
  { size1: 3, size2: 6, ids: [[0, 2], [0, 3], [1, 0], [1, 2]] },
  { size1: 4, size2: 6, ids: [[1, 2]] },
  { size1: 1, size2: 7, ids: [[0, 1], [1, 1], [0, 6], [1, 2]] },
  { size1: 10, size2: 15, ids: [[1, 4], [1, 5], [0, 14], [1, 6], [3, 0]] },
  { size1: 24, size2: 31, ids: [[3, 2], [0, 30], [1, 14], [2, 6], [4, 0]] },
  { size1: 81, size2: 95, ids: [[0, 80], [0, 81], [1, 41], [2, 21], [0, 94], [1, 46], [2, 22], [4, 4], [6, 0]] },
];

// ---------------------------------------------------------------------------------------------------------
// Helpers: a node table built the way the service builds it, and lookups limited to what a plan names.
// ---------------------------------------------------------------------------------------------------------

/** Only the planned nodes, so an assembly that reads anything else throws. */
function fetch(table: NodeHashes, plan: NodeCoordinate[]): Map<string, Buffer> {
  return new Map(
    plan.map(({ level, index }) => {
      const hash = table.get(nodeKey(level, index));
      if (!hash) throw new Error(`plan names absent node (${level}, ${index})`);
      return [nodeKey(level, index), hash];
    }),
  );
}

function appendAll(leafHashes: readonly Buffer[]): Map<string, Buffer> {
  // The way the service appends: a RootAccumulator yields the subtrees each leaf completes.
  const accumulator = new RootAccumulator();
  return nodeHashesOf(leafHashes.flatMap((hash) => accumulator.append(hash)));
}

function sortedIds(nodes: readonly NodeCoordinate[]): string[] {
  return nodes.map(({ level, index }) => nodeKey(level, index)).sort();
}

function idsOf(ids: Ids): string[] {
  return ids.map(([level, index]) => nodeKey(level, index)).sort();
}

/** Every planned node covers leaves below treeSize: nodes of later leaves must never leak into a past tree. */
function withinTree(plan: readonly NodeCoordinate[], treeSize: number): boolean {
  return plan.every(({ level, index }) => (index + 1) * 2 ** level <= treeSize);
}

function throwsRangeError(action: () => unknown): boolean {
  try {
    action();
    return false;
  } catch (error) {
    return error instanceof RangeError;
  }
}

const log2Ceil = (n: number): number => Math.ceil(Math.log2(Math.max(n, 2)));

const LEAF_HASHES = LEAF_INPUTS.map(leafHash);

/** 300 leaves for the property tests; trees of every smaller size are prefixes of it. */
const MAX_SIZE = 300;
const MANY_LEAF_HASHES = Array.from({ length: MAX_SIZE }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const MANY_TABLE = appendAll(MANY_LEAF_HASHES);

function flipByte(buffer: Buffer, position: number, mask: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[position] ^= mask;
  return copy;
}

// ---------------------------------------------------------------------------------------------------------

describe('RFC 6962 hashing', () => {
  it('matches the rfc6962_test.go known answers', () => {
    expect(emptyRoot().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    expect(nodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('splits at the largest power of two below the size', () => {
    // downToPowerOfTwo cases from reference_test.go.
    for (const [size, split] of [[2, 1], [7, 4], [8, 4], [63, 32], [28937, 16384]]) {
      expect(splitPoint(size)).toBe(split);
    }
    expect(() => splitPoint(1)).toThrow(RangeError);
  });
});

describe('reference implementation (RFC 6962 §2.1 literally)', () => {
  it('gives the published root of every prefix of the eight leaves', () => {
    for (let size = 0; size <= 8; size++) expect(merkleRoot(LEAF_HASHES.slice(0, size))).toEqual(ROOT_HASHES[size]);
  });

  it.each(REF_INCLUSION_PROOFS)('gives the published inclusion proof of leaf $index in $size', ({ index, size, proof }) => {
    expect(inclusionProof(LEAF_HASHES.slice(0, size), index)).toEqual(proof.map(hex));
  });

  it.each(CONSISTENCY_PROOFS)('gives the published consistency proof $size1 → $size2', ({ size1, size2, proof }) => {
    expect(consistencyProof(LEAF_HASHES, size1, size2)).toEqual(proof.map(hex));
  });

  it('refuses an index or sizes outside the leaves', () => {
    expect(() => inclusionProof(LEAF_HASHES, 8)).toThrow(RangeError);
    expect(() => inclusionProof(LEAF_HASHES, -1)).toThrow(RangeError);
    expect(() => consistencyProof(LEAF_HASHES, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(LEAF_HASHES, 1, 9)).toThrow(RangeError);
  });
});

describe('inclusion verification (RFC 9162 §2.1.3.2)', () => {
  // Port of corruptInclusionProof in verify_test.go.
  function corruptions(index: number, size: number, proof: Buffer[], root: Buffer, hash: Buffer) {
    const probes: [string, number, number, Buffer[], Buffer, Buffer][] = [
      ['leafIndex - 1', index - 1, size, proof, root, hash],
      ['leafIndex + 1', index + 1, size, proof, root, hash],
      ['leafIndex ^ 2', index ^ 2, size, proof, root, hash],
      ['treeSize * 2', index, size * 2, proof, root, hash],
      ['treeSize / 2', index, Math.floor(size / 2), proof, root, hash],
      ['wrong leaf', index, size, proof, root, Buffer.from('WrongLeaf')],
      ['empty root', index, size, proof, emptyRoot(), hash],
      ['random root', index, size, proof, SOME_HASH, hash],
      ['trailing garbage', index, size, [...proof, Buffer.alloc(0)], root, hash],
      ['trailing root', index, size, [...proof, root], root, hash],
      ['preceding garbage', index, size, [Buffer.alloc(0), ...proof], root, hash],
      ['preceding root', index, size, [root, ...proof], root, hash],
    ];
    proof.forEach((_, i) => {
      const wrong = [...proof];
      wrong[i] = flipByte(proof[i], 0, 8);
      probes.push([`modified proof[${i}] bit 3`, index, size, wrong, root, hash]);
    });
    if (proof.length > 0) probes.push(['removed component', index, size, proof.slice(0, -1), root, hash]);
    if (proof.length > 1) probes.push(['inserted component', index, size, [proof[0], SOME_HASH, ...proof.slice(1)], root, hash]);
    return probes;
  }

  it.each(VERIFY_INCLUSION_PROOFS)('accepts the published proof of leaf $leaf (1-based) in $size and no corruption of it', ({ leaf, size, proof }) => {
    const index = leaf - 1;
    const path = proof.map(hex);
    expect(verifyInclusion(LEAF_HASHES[index], index, size, path, ROOT_HASHES[size])).toBe(true);
    for (const [, i, n, p, r, h] of corruptions(index, size, path, ROOT_HASHES[size], LEAF_HASHES[index])) {
      expect(verifyInclusion(h, i, n, p, r)).toBe(false);
    }
  });

  it('rejects impossible positions and hashes of the wrong length (TestVerifyInclusion)', () => {
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]]) {
      expect(verifyInclusion(SOME_HASH, index, size, [], Buffer.alloc(0))).toBe(false);
      expect(verifyInclusion(Buffer.alloc(0), index, size, [], emptyRoot())).toBe(false);
      expect(verifyInclusion(SOME_HASH, index, size, [], emptyRoot())).toBe(false);
    }
    const single = leafHash(Buffer.from('data'));
    expect(verifyInclusion(single, 0, 1, [], single)).toBe(true);
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], single)).toBe(false);
    expect(verifyInclusion(single, 0, 1, [], Buffer.alloc(0))).toBe(false);
  });
});

describe('consistency verification (RFC 9162 §2.1.4.2)', () => {
  // Port of corruptConsistencyProof in verify_test.go.
  function corruptions(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]) {
    const probes: [string, number, number, Buffer, Buffer, Buffer[]][] = [
      ['size1 - 1', size1 - 1, size2, root1, root2, proof],
      ['size1 + 1', size1 + 1, size2, root1, root2, proof],
      ['size1 ^ 2', size1 ^ 2, size2, root1, root2, proof],
      ['size2 * 2', size1, size2 * 2, root1, root2, proof],
      ['size2 / 2', size1, Math.floor(size2 / 2), root1, root2, proof],
      ['wrong root1', size1, size2, Buffer.from('WrongRoot'), root2, proof],
      ['wrong root2', size1, size2, root1, Buffer.from('WrongRoot'), proof],
      ['swapped roots', size1, size2, root2, root1, proof],
      ['empty proof', size1, size2, root1, root2, []],
      ['trailing garbage', size1, size2, root1, root2, [...proof, Buffer.alloc(0)]],
      ['trailing root1', size1, size2, root1, root2, [...proof, root1]],
      ['trailing root2', size1, size2, root1, root2, [...proof, root2]],
      ['preceding garbage', size1, size2, root1, root2, [Buffer.alloc(0), ...proof]],
      ['preceding root1', size1, size2, root1, root2, [root1, ...proof]],
      ['preceding root2', size1, size2, root1, root2, [root2, ...proof]],
      ['preceding proof[0]', size1, size2, root1, root2, [proof[0], ...proof]],
      ['truncated proof', size1, size2, root1, root2, proof.slice(0, -1)],
    ];
    proof.forEach((_, i) => {
      const wrong = [...proof];
      wrong[i] = flipByte(proof[i], 0, 16);
      probes.push([`modified proof[${i}] bit 4`, size1, size2, root1, root2, wrong]);
    });
    return probes;
  }

  it.each(CONSISTENCY_PROOFS)('accepts the published proof $size1 → $size2 and no corruption of it', ({ size1, size2, proof }) => {
    const path = proof.map(hex);
    expect(verifyConsistency(size1, size2, ROOT_HASHES[size1], ROOT_HASHES[size2], path)).toBe(true);
    if (path.length === 0) return;
    for (const [, s1, s2, r1, r2, p] of corruptions(size1, size2, ROOT_HASHES[size1], ROOT_HASHES[size2], path)) {
      expect(verifyConsistency(s1, s2, r1, r2, p)).toBe(false);
    }
  });

  it('handles the trivial sizes (after TestVerifyConsistency, with the empty tree held to MTH({}))', () => {
    const [root1, root2] = [ROOT_HASHES[3], ROOT_HASHES[5]];
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(0, 5, emptyRoot(), root2, [])).toBe(true);
    expect(verifyConsistency(3, 3, root1, root1, [])).toBe(true);
    expect(verifyConsistency(0, 5, root1, root2, [])).toBe(false);
    expect(verifyConsistency(3, 3, root1, root2, [])).toBe(false);
    expect(verifyConsistency(1, 0, root1, root2, [])).toBe(false);
    expect(verifyConsistency(2, 1, root1, root2, [])).toBe(false);
    expect(verifyConsistency(1, 2, root1, root2, [])).toBe(false);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [emptyRoot()])).toBe(false);
    expect(verifyConsistency(0, 1, emptyRoot(), emptyRoot(), [emptyRoot()])).toBe(false);
    expect(verifyConsistency(1, 1, emptyRoot(), emptyRoot(), [emptyRoot()])).toBe(false);
  });
});

describe('complete-subtree storage', () => {
  const table = appendAll(LEAF_HASHES);

  it('appends leaves into exactly the published complete subtrees (NodeHashes)', () => {
    const expected = NODE_HASHES.flatMap((row, level) => row.map((h, index) => [nodeKey(level, index), h]));
    expect(new Map([...table].map(([key, hash]) => [key, hash.toString('hex')]))).toEqual(new Map(expected as [string, string][]));
  });

  it('plans the root from the published compact range of each size (CompactTrees)', () => {
    COMPACT_TREES.forEach((ids, size) => {
      expect(rootNodes(size)).toEqual(ids.map(([level, index]) => ({ level, index })));
      expect(rootFromNodes(size, fetch(table, rootNodes(size)))).toEqual(ROOT_HASHES[size]);
    });
  });

  it.each(INCLUSION_NODE_IDS)('plans the inclusion proof of $index in $size from the published nodes', ({ size, index, ids }) => {
    expect(sortedIds(inclusionProofNodes(index, size))).toEqual(idsOf(ids));
  });

  it.each(CONSISTENCY_NODE_IDS)('plans the consistency proof $size1 → $size2 from the published nodes', ({ size1, size2, ids }) => {
    expect(sortedIds(consistencyProofNodes(size1, size2))).toEqual(idsOf(ids));
  });

  it('assembles the published proofs from fetched nodes', () => {
    for (const { index, size, proof } of REF_INCLUSION_PROOFS) {
      expect(inclusionProofFromNodes(index, size, fetch(table, inclusionProofNodes(index, size)))).toEqual(proof.map(hex));
    }
    for (const { size1, size2, proof } of CONSISTENCY_PROOFS) {
      const plan = consistencyProofNodes(size1, size2);
      expect(consistencyProofFromNodes(size1, size2, fetch(table, plan))).toEqual(proof.map(hex));
    }
  });

  it('hashes every valid subtree up to 130 leaves as draft-ietf-plants-merkle-tree-certs publishes (TestSubtreeHashVectors)', () => {
    const size = 130;
    const subtreeTable = appendAll(Array.from({ length: size }, (_, i) => leafHash(Buffer.from([i]))));
    // isSubtreeValid from testonly/tree.go: start is 0 or a multiple of bitCeil(end - start).
    const isValid = (start: number, end: number) => start === 0 || start % 2 ** Math.ceil(Math.log2(end - start)) === 0;
    const rolling = createHash('sha256');
    const acceptedInvalid: string[] = [];
    for (let end = 1; end <= size; end++) {
      for (let start = 0; start < end; start++) {
        if (isValid(start, end)) {
          const hash = subtreeHashFromNodes(start, end, fetch(subtreeTable, subtreeNodes(start, end)));
          rolling.update(`[${start}, ${end}) ${hash.toString('hex')}\n`);
        } else if (!throwsRangeError(() => subtreeNodes(start, end))) {
          acceptedInvalid.push(`[${start}, ${end})`);
        }
      }
    }
    expect(rolling.digest('hex')).toBe('94a95384a8c69acea9b50d035a58285b3a777cb7a724005faa5e1f1e1190007f');
    expect(acceptedInvalid).toEqual([]);
  });

  it('says which node it lacks instead of computing a wrong hash', () => {
    expect(() => rootFromNodes(7, new Map())).toThrow('ledger node (level 0, index 6) was not supplied');
  });

  it('keeps to O(log n) nodes and exact arithmetic beyond 32 bits', () => {
    const size = 2 ** 34 + 7;
    const index = 2 ** 33 + 5;
    const inclusion = inclusionProofNodes(index, size);
    const consistency = consistencyProofNodes(index, size);
    expect(inclusion.length).toBeLessThanOrEqual(2 * log2Ceil(size));
    expect(consistency.length).toBeLessThanOrEqual(2 * log2Ceil(size));
    expect(withinTree(inclusion, size) && withinTree(consistency, size)).toBe(true);
    expect(inclusion.every(({ index: i }) => Number.isInteger(i))).toBe(true);
    expect(rootNodes(2 ** 53 - 1)).toHaveLength(53);
  });

  it('refuses positions outside the tree', () => {
    expect(() => inclusionProofNodes(7, 7)).toThrow(RangeError);
    expect(() => consistencyProofNodes(8, 7)).toThrow(RangeError);
    expect(() => rootNodes(-1)).toThrow(RangeError);
    expect(() => subtreeNodes(5, 5)).toThrow(RangeError);
  });
});

describe('streaming root', () => {
  it('tracks the published roots and completes the published nodes', () => {
    const accumulator = new RootAccumulator();
    expect(accumulator.root()).toEqual(ROOT_HASHES[0]);
    const completed: TreeNode[] = [];
    LEAF_HASHES.forEach((hash, i) => {
      completed.push(...accumulator.append(hash));
      expect(accumulator.size).toBe(i + 1);
      expect(accumulator.root()).toEqual(ROOT_HASHES[i + 1]);
    });
    const published = NODE_HASHES.flatMap((row, level) => row.map((h, index) => [nodeKey(level, index), h] as [string, string]));
    expect(new Map([...nodeHashesOf(completed)].map(([key, hash]) => [key, hash.toString('hex')]))).toEqual(new Map(published));
  });

  it('agrees with the reference over a few thousand leaves, from any iterable', () => {
    const leaves = Array.from({ length: 5000 }, (_, i) => leafHash(Buffer.from(String(i))));
    function* stream() {
      yield* leaves;
    }
    expect(rootFromLeafHashes(stream())).toEqual(merkleRoot(leaves));
    expect(rootFromLeafHashes([])).toEqual(emptyRoot());
  });

  it('resumes from the stored right edge and completes the same nodes as one unbroken run', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(String(i))));
    for (const size of [0, 1, 7, 16, 21, 39]) {
      const whole = new RootAccumulator();
      const stored = nodeHashesOf(leaves.slice(0, size).flatMap((hash) => whole.append(hash)));
      const resumed = RootAccumulator.resume(size, stored);
      expect(resumed.size).toBe(size);
      expect(resumed.root()).toEqual(whole.root());
      for (const hash of leaves.slice(size)) expect(resumed.append(hash)).toEqual(whole.append(hash));
      expect(resumed.root()).toEqual(merkleRoot(leaves));
    }
  });

  it('refuses to resume without a node of the right edge', () => {
    expect(() => RootAccumulator.resume(3, new Map())).toThrow('ledger node (level 1, index 0) was not supplied');
  });
});

describe('properties over trees of 1..300 leaves', () => {
  const treeAndIndex = fc.integer({ min: 1, max: MAX_SIZE }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
  const twoSizes = fc
    .integer({ min: 1, max: MAX_SIZE })
    .chain((second) => fc.tuple(fc.integer({ min: 1, max: second }), fc.constant(second)));

  it('storage and reference agree on every root, inclusion and consistency proof up to 33 leaves', () => {
    for (let size = 1; size <= 33; size++) {
      const leaves = MANY_LEAF_HASHES.slice(0, size);
      const root = merkleRoot(leaves);
      expect(rootFromNodes(size, fetch(MANY_TABLE, rootNodes(size)))).toEqual(root);
      for (let i = 0; i < size; i++) {
        const plan = inclusionProofNodes(i, size);
        const proof = inclusionProofFromNodes(i, size, fetch(MANY_TABLE, plan));
        expect(proof).toEqual(inclusionProof(leaves, i));
        expect(withinTree(plan, size)).toBe(true);
        expect(verifyInclusion(leaves[i], i, size, proof, root)).toBe(true);
        const first = i + 1;
        const consistencyPlan = consistencyProofNodes(first, size);
        const consistency = consistencyProofFromNodes(first, size, fetch(MANY_TABLE, consistencyPlan));
        expect(consistency).toEqual(consistencyProof(leaves, first, size));
        expect(withinTree(consistencyPlan, size)).toBe(true);
        expect(verifyConsistency(first, size, merkleRoot(leaves.slice(0, first)), root, consistency)).toBe(true);
      }
    }
  });

  it('inclusion proofs from storage equal the reference, verify, and use O(log n) nodes', () => {
    fc.assert(
      fc.property(treeAndIndex, ([size, index]) => {
        const leaves = MANY_LEAF_HASHES.slice(0, size);
        const root = merkleRoot(leaves);
        const plan = inclusionProofNodes(index, size);
        const proof = inclusionProofFromNodes(index, size, fetch(MANY_TABLE, plan));
        expect(rootFromNodes(size, fetch(MANY_TABLE, rootNodes(size)))).toEqual(root);
        expect(proof).toEqual(inclusionProof(leaves, index));
        expect(plan.length).toBeLessThanOrEqual(2 * log2Ceil(size));
        expect(withinTree(plan, size)).toBe(true);
        expect(verifyInclusion(leaves[index], index, size, proof, root)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs from storage equal the reference, verify, and use O(log n) nodes', () => {
    fc.assert(
      fc.property(twoSizes, ([first, second]) => {
        const leaves = MANY_LEAF_HASHES.slice(0, second);
        const plan = consistencyProofNodes(first, second);
        const proof = consistencyProofFromNodes(first, second, fetch(MANY_TABLE, plan));
        expect(proof).toEqual(consistencyProof(leaves, first, second));
        expect(plan.length).toBeLessThanOrEqual(2 * log2Ceil(second));
        expect(withinTree(plan, second)).toBe(true);
        expect(verifyConsistency(first, second, merkleRoot(leaves.slice(0, first)), merkleRoot(leaves), proof)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('flipping any byte of the leaf hash, the root or the inclusion proof fails verification', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat(), fc.nat(31), fc.integer({ min: 1, max: 255 }), ([size, index], pick, position, mask) => {
        const leaves = MANY_LEAF_HASHES.slice(0, size);
        const parts = [leaves[index], merkleRoot(leaves), ...inclusionProof(leaves, index)];
        const target = pick % parts.length;
        parts[target] = flipByte(parts[target], position, mask);
        const [hash, root, ...proof] = parts;
        expect(verifyInclusion(hash, index, size, proof, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('flipping any byte of either root or the consistency proof fails verification', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.nat(31), fc.integer({ min: 1, max: 255 }), ([first, second], pick, position, mask) => {
        const leaves = MANY_LEAF_HASHES.slice(0, second);
        const parts = [merkleRoot(leaves.slice(0, first)), merkleRoot(leaves), ...consistencyProof(leaves, first, second)];
        const target = pick % parts.length;
        parts[target] = flipByte(parts[target], position, mask);
        const [firstRoot, secondRoot, ...proof] = parts;
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
