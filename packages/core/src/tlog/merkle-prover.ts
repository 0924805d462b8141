import { InvalidInputError } from '../errors.js';
import { HASH_SIZE, MAX_TREE_SIZE, emptyTreeRoot, hashChildren } from './merkle-hash.js';

/**
 * A complete, aligned subtree of the log: the `2^level` leaves `[index * 2^level, (index + 1) * 2^level)`. Its hash is
 * `MTH` of those leaves; at level 0 it is the leaf hash. Such subtrees never change once written, so a log can store
 * them (like C2SP tlog-tiles do) and every proof is built from them.
 */
export interface TreeNode {
  readonly level: number;
  readonly index: bigint;
}

/**
 * Where proof generation gets its hashes: given complete subtrees, their hashes in the same order, each 32 bytes. A
 * log service backs it with stored subtree hashes (one round trip per proof); `MerkleTree` backs it with memory. The
 * reader need not know the tree size: callers only ask for subtrees that lie inside the tree they prove against.
 *
 * @example
 * ```ts
 * const reader: HashReader = { readHashes: (nodes) => db.subtreeHashes(nodes) };
 * const proof = await proveInclusion(reader, 5n, 8n);
 * ```
 */
export interface HashReader {
  readHashes(nodes: readonly TreeNode[]): readonly Uint8Array[] | PromiseLike<readonly Uint8Array[]>;
}

/**
 * A proof (or root) as the list of its hashes, each given as the complete subtrees to read and fold: a subtree on the
 * right edge of a tree that is not a power of two in size is not stored, so it is rebuilt from the complete subtrees
 * that cover it, `H(n0 || H(n1 || … nk))`.
 */
export type ProofPlan = readonly (readonly TreeNode[])[];

function rangeError(message: string, path: string): InvalidInputError {
  return new InvalidInputError('TREE_RANGE_INVALID', message, [{ path, message }]);
}

function checkSize(value: bigint, path: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_TREE_SIZE) {
    throw rangeError(`${path} must be a bigint between 0 and 2^64 - 1`, path);
  }
}

/** The largest power of two strictly below `n` (RFC 9162 §2.1.1's `k`), for `n >= 2`. */
function splitPoint(n: bigint): bigint {
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
}

/** The complete, aligned subtrees that cover `[start, end)`, left to right, each as large as alignment allows. */
function coveringNodes(start: bigint, end: bigint): TreeNode[] {
  const nodes: TreeNode[] = [];
  while (start < end) {
    let level = 0;
    let width = 1n;
    while ((start & ((width << 1n) - 1n)) === 0n && start + (width << 1n) <= end) {
      width <<= 1n;
      level++;
    }
    nodes.push({ level, index: start >> BigInt(level) });
    start += width;
  }
  return nodes;
}

/**
 * The plan of `PATH(leafIndex, D[0:treeSize])` (RFC 9162 §2.1.3.1), leaf level first. Throws `TREE_RANGE_INVALID`
 * unless `0 <= leafIndex < treeSize`.
 */
export function planInclusionProof(leafIndex: bigint, treeSize: bigint): ProofPlan {
  checkSize(leafIndex, 'leafIndex');
  checkSize(treeSize, 'treeSize');
  if (leafIndex >= treeSize) throw rangeError(`leafIndex ${leafIndex} is not below treeSize ${treeSize}`, 'leafIndex');
  const topDown: TreeNode[][] = [];
  let low = 0n;
  let high = treeSize;
  while (high - low > 1n) {
    const k = splitPoint(high - low);
    if (leafIndex < low + k) {
      topDown.push(coveringNodes(low + k, high));
      high = low + k;
    } else {
      topDown.push(coveringNodes(low, low + k));
      low += k;
    }
  }
  return topDown.reverse();
}

/**
 * The plan of `PROOF(size1, D[0:size2])` (RFC 9162 §2.1.4.1), deepest hash first. Equal sizes give the empty proof.
 * Throws `TREE_RANGE_INVALID` unless `0 < size1 <= size2`: a proof from the empty tree proves nothing, and
 * `verifyConsistency` rejects one.
 */
export function planConsistencyProof(size1: bigint, size2: bigint): ProofPlan {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 === 0n) {
    throw rangeError('size1 must be at least 1: a consistency proof from the empty tree is meaningless', 'size1');
  }
  if (size1 > size2) throw rangeError(`size1 ${size1} is larger than size2 ${size2}`, 'size1');
  const topDown: TreeNode[][] = [];
  // SUBPROOF(m, D[low:high], b), unrolled: m is relative to low.
  let m = size1;
  let low = 0n;
  let high = size2;
  let wholeTreeIsOld = true;
  while (m !== high - low) {
    const k = splitPoint(high - low);
    if (m <= k) {
      topDown.push(coveringNodes(low + k, high));
      high = low + k;
    } else {
      topDown.push(coveringNodes(low, low + k));
      m -= k;
      low += k;
      wholeTreeIsOld = false;
    }
  }
  // m = n: SUBPROOF(m, D[m], true) is empty (the verifier knows the old root); with b = false it is MTH(D[m]).
  if (!wholeTreeIsOld) topDown.push(coveringNodes(low, high));
  return topDown.reverse();
}

/** The plan of the root of `D[0:treeSize]`: one hash, folded from the complete subtrees that cover the tree. */
export function planRoot(treeSize: bigint): ProofPlan {
  checkSize(treeSize, 'treeSize');
  return treeSize === 0n ? [] : [coveringNodes(0n, treeSize)];
}

/** The nodes a plan needs, in the order `foldPlan` expects their hashes. */
export function planNodes(plan: ProofPlan): TreeNode[] {
  return plan.flat();
}

/**
 * Turns the hashes a reader returned for `planNodes(plan)` into the proof: one hash per plan element. Throws
 * `TREE_HASHES_INVALID` when the reader returned the wrong number of hashes or one that is not 32 bytes.
 */
export function foldPlan(plan: ProofPlan, hashes: readonly Uint8Array[]): Uint8Array[] {
  const expected = plan.reduce((n, nodes) => n + nodes.length, 0);
  // The reader is another component (storage): check what it returned rather than trust its type.
  const returned: unknown = hashes;
  if (!Array.isArray(returned) || returned.length !== expected) {
    const count = Array.isArray(returned) ? String(returned.length) : 'no array of';
    throw new InvalidInputError('TREE_HASHES_INVALID', `the hash reader returned ${count} hashes, not ${expected}`);
  }
  let at = 0;
  return plan.map((nodes) => {
    const group = hashes.slice(at, at + nodes.length);
    at += nodes.length;
    for (const hash of group as readonly unknown[]) {
      if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
        throw new InvalidInputError(
          'TREE_HASHES_INVALID',
          'the hash reader returned a value that is not a 32-byte hash',
        );
      }
    }
    let folded = group[group.length - 1]!;
    for (let i = group.length - 2; i >= 0; i--) folded = hashChildren(group[i]!, folded);
    return Uint8Array.from(folded);
  });
}

async function readPlan(reader: HashReader, plan: ProofPlan): Promise<Uint8Array[]> {
  const nodes = planNodes(plan);
  return foldPlan(plan, nodes.length === 0 ? [] : await reader.readHashes(nodes));
}

/**
 * Builds the inclusion proof of leaf `leafIndex` in the tree of the first `treeSize` leaves (RFC 9162 §2.1.3.1), with
 * one `readHashes` call. Throws `TREE_RANGE_INVALID` unless `leafIndex < treeSize`, and `TREE_HASHES_INVALID` if the
 * reader misbehaves.
 *
 * @example
 * ```ts
 * const proof = await proveInclusion(tree, 3n, 8n);
 * verifyInclusion({ leafIndex: 3n, treeSize: 8n, leafHash, proof, root }).ok // true
 * ```
 */
export async function proveInclusion(reader: HashReader, leafIndex: bigint, treeSize: bigint): Promise<Uint8Array[]> {
  return readPlan(reader, planInclusionProof(leafIndex, treeSize));
}

/**
 * Builds the consistency proof from the tree of `size1` leaves to the tree of `size2` leaves (RFC 9162 §2.1.4.1),
 * with one `readHashes` call. Equal sizes give `[]`. Throws `TREE_RANGE_INVALID` unless `0 < size1 <= size2`.
 *
 * @example
 * ```ts
 * const proof = await proveConsistency(tree, 5n, 8n);
 * verifyConsistency({ size1: 5n, size2: 8n, root1, root2, proof }).ok // true
 * ```
 */
export async function proveConsistency(reader: HashReader, size1: bigint, size2: bigint): Promise<Uint8Array[]> {
  return readPlan(reader, planConsistencyProof(size1, size2));
}

/**
 * The root hash of the tree of the first `treeSize` leaves, `MTH(D[0:treeSize])`, from at most 64 stored subtrees.
 * Size 0 gives `SHA-256("")`.
 *
 * @example
 * ```ts
 * const root = await computeRoot(tree, 8n);
 * ```
 */
export async function computeRoot(reader: HashReader, treeSize: bigint): Promise<Uint8Array> {
  const [root] = await readPlan(reader, planRoot(treeSize));
  return root ?? emptyTreeRoot();
}
