import type { InputIssue } from '../errors.js';
import { openCheckpoint } from './checkpoint.js';
import { decodeBase64, encodeUtf8 } from './encoding.js';
import { hashLeaf } from './merkle-hash.js';
import type { NoteVerifier } from './note-key.js';
import { verifyInclusion } from './verify-proof.js';
import { checkWitnessCosignatures, type WitnessCosignature } from './witness.js';

/**
 * A receipt: everything a third party needs, offline, to check that an entry is in the log — the entry itself, its
 * leaf index, an inclusion proof, and the log's signed checkpoint for a tree that contains it. The same facts as a
 * C2SP tlog-proof, in JSON: sizes and indices as decimal strings (they may exceed 2^53), hashes in base64.
 */
export interface Receipt {
  readonly format: 'heoga-receipt/v1';
  readonly index: string;
  /** The entry's canonical JSON: the exact bytes of the leaf. */
  readonly entry: string;
  readonly treeSize: string;
  readonly proof: readonly string[];
  /** The signed checkpoint note (C2SP tlog-checkpoint) for `treeSize`. */
  readonly checkpoint: string;
}

/** What a verified receipt proves. */
export interface VerifiedReceipt {
  readonly origin: string;
  readonly index: bigint;
  readonly treeSize: bigint;
  readonly entry: Record<string, unknown>;
  /** Names of the keys whose signatures on the checkpoint verified. */
  readonly signedBy: readonly string[];
  /**
   * The witnesses (of those given in `options.witnesses`) whose cosignature on the checkpoint verified, each with the
   * time it cosigned; a witness that did not cosign is absent. Empty when no witnesses were given.
   */
  readonly witnessedAt: readonly WitnessCosignature[];
}

/** Why a receipt was refused: which check failed. */
export type ReceiptFailureCode = 'RECEIPT_INVALID' | 'SIGNATURE_INVALID' | 'CHECKPOINT_INVALID' | 'PROOF_INVALID';

/** The outcome of `verifyReceipt`. Never thrown. */
export type ReceiptVerification =
  | { readonly ok: true; readonly value: VerifiedReceipt }
  | { readonly ok: false; readonly code: ReceiptFailureCode; readonly issues: readonly InputIssue[] };

const MAX_RECEIPT_STRING = 1024 * 1024;
const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

function refuse(code: ReceiptFailureCode, path: string, message: string): ReceiptVerification {
  return { ok: false, code, issues: [{ path, message }] };
}

/**
 * Checks a receipt offline against the log's verifier keys: the checkpoint's signature, that it names the tree size
 * the proof is for, and that the entry's leaf hash is included in that tree. Hostile input of any shape is refused
 * with the check that failed. With `options.witnesses` (`cosignature/v1` verifiers) it also checks their
 * cosignatures on the checkpoint and lists who witnessed it when (`witnessedAt`); a witness cosignature that fails to
 * verify refuses the receipt (`SIGNATURE_INVALID`). Whether a missing witness matters is the caller's policy.
 *
 * @example
 * ```ts
 * const checked = verifyReceipt(JSON.parse(text), [createNoteVerifier(parseVerifierKeyOrThrow(vkey))]);
 * if (checked.ok) console.log(checked.value.entry.type, 'is entry', checked.value.index);
 * ```
 */
export function verifyReceipt(
  input: unknown,
  verifiers: readonly NoteVerifier[],
  options: { readonly witnesses?: readonly NoteVerifier[] } = {},
): ReceiptVerification {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return refuse('RECEIPT_INVALID', '(root)', 'expected a JSON object');
  const r = input as Record<string, unknown>;
  if (r['format'] !== 'heoga-receipt/v1') return refuse('RECEIPT_INVALID', 'format', 'expected "heoga-receipt/v1"');
  for (const key of ['index', 'treeSize'] as const) {
    if (typeof r[key] !== 'string' || !DECIMAL.test(r[key]))
      return refuse('RECEIPT_INVALID', key, 'expected a decimal string');
  }
  for (const key of ['entry', 'checkpoint'] as const) {
    const value = r[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RECEIPT_STRING) {
      return refuse('RECEIPT_INVALID', key, 'expected a non-empty string of at most 1 MiB');
    }
  }
  const proofInput = r['proof'];
  if (!Array.isArray(proofInput) || proofInput.length > 128 || !proofInput.every((p) => typeof p === 'string')) {
    return refuse('RECEIPT_INVALID', 'proof', 'expected at most 128 base64 hashes');
  }
  const proof: Uint8Array[] = [];
  for (const [i, text] of proofInput.entries()) {
    const bytes = decodeBase64(text);
    if (!bytes) return refuse('RECEIPT_INVALID', `proof[${i}]`, 'not base64');
    proof.push(bytes);
  }
  const index = BigInt(r['index'] as string);
  const treeSize = BigInt(r['treeSize'] as string);
  const entryText = r['entry'] as string;
  let entry: unknown;
  try {
    entry = JSON.parse(entryText);
  } catch {
    return refuse('RECEIPT_INVALID', 'entry', 'the entry is not JSON');
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    return refuse('RECEIPT_INVALID', 'entry', 'the entry is not a JSON object');
  const opened = openCheckpoint(r['checkpoint'] as string, verifiers);
  if (!opened.ok) {
    const code: ReceiptFailureCode =
      opened.code === 'CHECKPOINT_INVALID'
        ? 'CHECKPOINT_INVALID'
        : opened.code === 'NOTE_INVALID'
          ? 'CHECKPOINT_INVALID'
          : 'SIGNATURE_INVALID';
    return { ok: false, code, issues: opened.issues };
  }
  const { checkpoint, note } = opened.value;
  if (checkpoint.size !== treeSize) {
    return refuse(
      'CHECKPOINT_INVALID',
      'treeSize',
      `the checkpoint is for ${checkpoint.size} entries, the proof for ${treeSize}`,
    );
  }
  const included = verifyInclusion({
    leafIndex: index,
    treeSize,
    leafHash: hashLeaf(encodeUtf8(entryText)),
    proof,
    root: checkpoint.rootHash,
  });
  if (!included.ok) return { ok: false, code: 'PROOF_INVALID', issues: included.issues };
  const witnessed = checkWitnessCosignatures(note, options.witnesses ?? []);
  if (!witnessed.ok) return { ok: false, code: 'SIGNATURE_INVALID', issues: witnessed.issues };
  return {
    ok: true,
    value: {
      origin: checkpoint.origin,
      index,
      treeSize,
      entry: entry as Record<string, unknown>,
      signedBy: note.verified.map((s) => s.name),
      witnessedAt: witnessed.value,
    },
  };
}
