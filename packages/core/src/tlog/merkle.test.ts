import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  MerkleTree,
  VerificationError,
  computeRoot,
  emptyTreeRoot,
  hashChildren,
  hashLeaf,
  proveConsistency,
  proveInclusion,
  verifyConsistency,
  verifyConsistencyOrThrow,
  verifyInclusion,
  verifyInclusionOrThrow,
  type HashReader,
  type TreeNode,
} from '../index.js';
import { listVectorFiles, readVectorJson, VECTORS_AVAILABLE } from '../../test/vectors.js';
import { decodeBase64, encodeBase64, toHex } from './encoding.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const b64 = (s: string): Uint8Array => {
  const bytes = decodeBase64(s);
  if (bytes === undefined) throw new Error(`the vector holds invalid base64: ${s}`);
  return bytes;
};

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

// The 8 leaves of the RFC 6962 reference tree that transparency-dev/merkle built its vectors from.
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);

describe('RFC 6962 hashing', () => {
  it('matches the known answers', () => {
    expect(toHex(emptyTreeRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(hashLeaf(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(hashLeaf(utf8('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(toHex(hashChildren(utf8('N123'), utf8('N456')))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('builds the reference tree', () => {
    const tree = MerkleTree.from(REFERENCE_LEAVES);
    expect(toHex(tree.root())).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    expect(toHex(tree.root(3n))).toBe('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
    expect(tree.root(0n)).toEqual(emptyTreeRoot());
  });
});

describe.skipIf(!VECTORS_AVAILABLE)('transparency-dev/merkle vectors', () => {
  const reference = MerkleTree.from(REFERENCE_LEAVES);

  it('accepts every good inclusion proof and rejects every bad one', () => {
    const files = listVectorFiles('merkle/inclusion');
    expect(files.length).toBeGreaterThan(50);
    let reproduced = 0;
    for (const file of files) {
      const v = readVectorJson<InclusionVector>(`merkle/inclusion/${file}`);
      const input = {
        leafIndex: BigInt(v.leafIdx),
        treeSize: BigInt(v.treeSize),
        leafHash: b64(v.leafHash),
        proof: (v.proof ?? []).map(b64),
        root: b64(v.root),
      };
      expect(verifyInclusion(input).ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
      // Our generator must give the same proof for the reference tree's happy paths.
      if (!v.wantErr && v.treeSize <= 8 && encodeBase64(reference.root(input.treeSize)) === v.root) {
        expect(reference.inclusionProof(input.leafIndex, input.treeSize).map(encodeBase64), file).toEqual(
          v.proof ?? [],
        );
        reproduced++;
      }
    }
    expect(reproduced).toBeGreaterThan(0);
    console.info(`merkle inclusion vectors: ${files.length} checked, ${reproduced} proofs reproduced`);
  });

  it('accepts every good consistency proof and rejects every bad one', () => {
    const files = listVectorFiles('merkle/consistency');
    expect(files.length).toBeGreaterThan(50);
    let reproduced = 0;
    for (const file of files) {
      const v = readVectorJson<ConsistencyVector>(`merkle/consistency/${file}`);
      const input = {
        size1: BigInt(v.size1),
        size2: BigInt(v.size2),
        root1: b64(v.root1),
        root2: b64(v.root2),
        proof: (v.proof ?? []).map(b64),
      };
      expect(verifyConsistency(input).ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
      if (!v.wantErr && v.size2 <= 8 && v.size1 > 0 && encodeBase64(reference.root(input.size2)) === v.root2) {
        expect(reference.consistencyProof(input.size1, input.size2).map(encodeBase64), file).toEqual(v.proof ?? []);
        reproduced++;
      }
    }
    expect(reproduced).toBeGreaterThan(0);
    console.info(`merkle consistency vectors: ${files.length} checked, ${reproduced} proofs reproduced`);
  });
});

describe('MerkleTree', () => {
  const tree = MerkleTree.from(Array.from({ length: 100 }, (_, i) => utf8(`entry ${i}`)));

  it('appends and returns leaf indices', () => {
    const t = new MerkleTree();
    expect(t.size).toBe(0n);
    expect(t.append(utf8('a'))).toBe(0n);
    expect(t.appendLeafHash(hashLeaf(utf8('b')))).toBe(1n);
    expect(t.root()).toEqual(hashChildren(hashLeaf(utf8('a')), hashLeaf(utf8('b'))));
    expect(t.leafHash(1n)).toEqual(hashLeaf(utf8('b')));
  });

  it('refuses out-of-range requests with TREE_RANGE_INVALID', () => {
    const attempts = [
      () => tree.leafHash(100n),
      () => tree.leafHash(-1n),
      () => tree.root(101n),
      () => tree.inclusionProof(5n, 5n),
      () => tree.inclusionProof(0n, 101n),
      () => tree.consistencyProof(0n, 10n),
      () => tree.consistencyProof(11n, 10n),
      () => tree.consistencyProof(5n, 101n),
      () => tree.readHashes([{ level: 7, index: 0n }]),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(InvalidInputError);
      try {
        attempt();
      } catch (e) {
        expect((e as InvalidInputError).code).toBe('TREE_RANGE_INVALID');
      }
    }
    expect(tree.consistencyProof(10n, 10n)).toEqual([]);
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => new MerkleTree().appendLeafHash(new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'TREE_HASHES_INVALID' }),
    );
  });
});

describe('proof generation over a HashReader', () => {
  const tree = MerkleTree.from(Array.from({ length: 77 }, (_, i) => utf8(`leaf ${i}`)));
  const calls: TreeNode[][] = [];
  const reader: HashReader = {
    readHashes: (nodes) => {
      calls.push([...nodes]);
      return Promise.resolve(tree.readHashes(nodes));
    },
  };

  it('matches the in-memory tree with one read per proof', async () => {
    for (const size of [1n, 2n, 5n, 64n, 77n]) {
      calls.length = 0;
      expect(await computeRoot(reader, size)).toEqual(tree.root(size));
      for (const index of [0n, size / 2n, size - 1n]) {
        expect(await proveInclusion(reader, index, size)).toEqual(tree.inclusionProof(index, size));
      }
      for (const size1 of [1n, size / 3n + 1n, size]) {
        expect(await proveConsistency(reader, size1, size)).toEqual(tree.consistencyProof(size1, size));
      }
      expect(calls.length).toBeLessThanOrEqual(7);
      // Only complete subtrees are ever requested.
      for (const node of calls.flat()) expect((node.index + 1n) << BigInt(node.level)).toBeLessThanOrEqual(size);
    }
    expect(await computeRoot(reader, 0n)).toEqual(emptyTreeRoot());
  });

  it('refuses a reader that returns the wrong hashes with TREE_HASHES_INVALID', async () => {
    const short: HashReader = { readHashes: () => [] };
    const badLength: HashReader = { readHashes: (nodes) => nodes.map(() => new Uint8Array(20)) };
    for (const bad of [short, badLength]) {
      await expect(proveInclusion(bad, 3n, 10n)).rejects.toMatchObject({ code: 'TREE_HASHES_INVALID' });
    }
  });
});

describe('verification errors', () => {
  const tree = MerkleTree.from(Array.from({ length: 10 }, (_, i) => utf8(`${i}`)));

  it('throws VerificationError with PROOF_INVALID from the OrThrow variants', () => {
    const good = {
      leafIndex: 3n,
      treeSize: 10n,
      leafHash: tree.leafHash(3n),
      proof: tree.inclusionProof(3n),
      root: tree.root(),
    };
    expect(() => verifyInclusionOrThrow(good)).not.toThrow();
    expect(() => verifyInclusionOrThrow({ ...good, leafIndex: 4n })).toThrow(VerificationError);
    const consistency = {
      size1: 4n,
      size2: 10n,
      root1: tree.root(4n),
      root2: tree.root(),
      proof: tree.consistencyProof(4n),
    };
    expect(() => verifyConsistencyOrThrow(consistency)).not.toThrow();
    try {
      verifyConsistencyOrThrow({ ...consistency, root1: tree.root(5n) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VerificationError);
      expect((e as VerificationError).code).toBe('PROOF_INVALID');
    }
  });

  it('reports malformed input as issues, never by throwing', () => {
    const root = tree.root();
    const cases = [
      { leafIndex: -1n, treeSize: 10n, leafHash: tree.leafHash(0n), proof: [], root },
      { leafIndex: 0n, treeSize: 1n << 64n, leafHash: tree.leafHash(0n), proof: [], root },
      { leafIndex: 0n, treeSize: 10n, leafHash: new Uint8Array(5), proof: [], root },
      { leafIndex: 0n, treeSize: 10n, leafHash: tree.leafHash(0n), proof: [new Uint8Array(31)], root },
      { leafIndex: 0n, treeSize: 10n, leafHash: tree.leafHash(0n), proof: Array(200).fill(root), root },
      { leafIndex: 0 as unknown as bigint, treeSize: 10n, leafHash: tree.leafHash(0n), proof: [], root },
    ];
    for (const input of cases) {
      const checked = verifyInclusion(input);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.issues.length).toBeGreaterThan(0);
    }
  });
});
