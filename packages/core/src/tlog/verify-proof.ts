import { VerificationError, type InputIssue } from '../errors.js';
import { constantTimeEqual } from './encoding.js';
import { HASH_SIZE, MAX_TREE_SIZE, hashChildren } from './merkle-hash.js';

/** The outcome of checking a proof: it holds, or the issues say which check failed. Verifiers never throw. */
export type ProofVerification = { readonly ok: true } | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** An inclusion proof to check: `leafHash` is the leaf at `leafIndex` of the tree of `treeSize` leaves with `root`. */
export interface InclusionProofInput {
  readonly leafIndex: bigint;
  readonly treeSize: bigint;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** A consistency proof to check: the tree of `size2` leaves with `root2` extends the tree of `size1` with `root1`. */
export interface ConsistencyProofInput {
  readonly size1: bigint;
  readonly size2: bigint;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** A proof of a tree of at most 2^64 - 1 leaves never needs more hashes than this; longer input is refused unread. */
const MAX_PROOF_HASHES = 128;

const fail = (path: string, message: string): ProofVerification => ({ ok: false, issues: [{ path, message }] });

function isTreeSize(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_TREE_SIZE;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function checkProofHashes(proof: unknown): ProofVerification | undefined {
  if (!Array.isArray(proof)) return fail('proof', 'expected an array of hashes');
  if (proof.length > MAX_PROOF_HASHES) return fail('proof', `more than ${MAX_PROOF_HASHES} hashes`);
  const bad = proof.findIndex((hash) => !isHash(hash));
  return bad >= 0 ? fail(`proof[${bad}]`, `expected a ${HASH_SIZE}-byte hash`) : undefined;
}

/**
 * Checks an inclusion proof with the algorithm of RFC 9162 §2.1.3.2. Refuses, without hashing, a `leafIndex` not
 * below `treeSize`, a leaf hash or proof hash that is not 32 bytes, and over-long proofs; compares the root in
 * constant time. An inclusion proof alone does not fix the tree size (the same hashes can prove a leaf in trees of
 * other sizes that share its path): trust `treeSize` only together with a signed checkpoint for that size and root.
 *
 * @example
 * ```ts
 * const checked = verifyInclusion({ leafIndex: 3n, treeSize: 8n, leafHash: hashLeaf(entry), proof, root });
 * if (!checked.ok) console.error(checked.issues);
 * ```
 */
export function verifyInclusion(input: InclusionProofInput): ProofVerification {
  const { leafIndex, treeSize, leafHash, proof, root } = input;
  if (!isTreeSize(treeSize)) return fail('treeSize', 'expected a bigint between 0 and 2^64 - 1');
  if (!isTreeSize(leafIndex)) return fail('leafIndex', 'expected a bigint between 0 and 2^64 - 1');
  if (leafIndex >= treeSize) return fail('leafIndex', `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  if (!isHash(leafHash)) return fail('leafHash', `expected a ${HASH_SIZE}-byte hash`);
  if (!(root instanceof Uint8Array)) return fail('root', 'expected a hash');
  const badProof = checkProofHashes(proof);
  if (badProof) return badProof;

  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return fail('proof', 'the proof has more hashes than the tree has levels');
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('proof', 'the proof has fewer hashes than the tree has levels');
  if (!constantTimeEqual(r, root)) return fail('root', 'the proof does not lead to this root');
  return { ok: true };
}

/**
 * Checks a consistency proof with the algorithm of RFC 9162 §2.1.4.2. Edge rules (those of transparency-dev/merkle,
 * which the reference vectors encode): `size1 = 0` is refused, since a proof from the empty tree proves nothing;
 * `size1 = size2` needs an empty proof and equal roots (compared as bytes, whatever their length); `size1 > size2` is
 * refused. Otherwise both roots and every proof hash must be 32 bytes. Hashes are compared in constant time.
 *
 * @example
 * ```ts
 * const checked = verifyConsistency({ size1: 5n, size2: 8n, root1, root2, proof });
 * if (!checked.ok) throw new Error('the log forked');
 * ```
 */
export function verifyConsistency(input: ConsistencyProofInput): ProofVerification {
  const { size1, size2, root1, root2, proof } = input;
  if (!isTreeSize(size1)) return fail('size1', 'expected a bigint between 0 and 2^64 - 1');
  if (!isTreeSize(size2)) return fail('size2', 'expected a bigint between 0 and 2^64 - 1');
  if (!(root1 instanceof Uint8Array)) return fail('root1', 'expected a hash');
  if (!(root2 instanceof Uint8Array)) return fail('root2', 'expected a hash');
  if (size2 < size1) return fail('size2', `size2 ${size2} is smaller than size1 ${size1}`);
  if (size1 === 0n) return fail('size1', 'a consistency proof from the empty tree is meaningless');
  const badProof = checkProofHashes(proof);
  if (badProof) return badProof;
  if (size1 === size2) {
    if (proof.length !== 0) return fail('proof', 'equal sizes need an empty proof');
    return constantTimeEqual(root1, root2) ? { ok: true } : fail('root2', 'equal sizes but different roots');
  }
  if (proof.length === 0) return fail('proof', 'a proof between different sizes cannot be empty');
  if (!isHash(root1)) return fail('root1', `expected a ${HASH_SIZE}-byte hash`);
  if (!isHash(root2)) return fail('root2', `expected a ${HASH_SIZE}-byte hash`);

  // Step 1: when size1 is a power of two the old root is the first hash (the proof leaves it out).
  const hashes = (size1 & (size1 - 1n)) === 0n ? [root1, ...proof] : proof;
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = hashes[0]!;
  let sr = hashes[0]!;
  for (const c of hashes.slice(1)) {
    if (sn === 0n) return fail('proof', 'the proof has more hashes than the trees need');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('proof', 'the proof has fewer hashes than the trees need');
  const oldMatches = constantTimeEqual(fr, root1);
  const newMatches = constantTimeEqual(sr, root2);
  if (!oldMatches) return fail('root1', 'the proof does not lead to the old root');
  if (!newMatches) return fail('root2', 'the proof does not lead to the new root');
  return { ok: true };
}

function throwIfFailed(checked: ProofVerification, what: string): void {
  if (!checked.ok) {
    throw new VerificationError(
      'PROOF_INVALID',
      `${what} does not verify: ${checked.issues[0]?.message ?? ''}`,
      checked.issues,
    );
  }
}

/** `verifyInclusion`, throwing `VerificationError` with code `PROOF_INVALID` when the proof does not hold. */
export function verifyInclusionOrThrow(input: InclusionProofInput): void {
  throwIfFailed(verifyInclusion(input), 'the inclusion proof');
}

/** `verifyConsistency`, throwing `VerificationError` with code `PROOF_INVALID` when the proof does not hold. */
export function verifyConsistencyOrThrow(input: ConsistencyProofInput): void {
  throwIfFailed(verifyConsistency(input), 'the consistency proof');
}
