import { InvalidInputError, type InputIssue } from '../errors.js';
import { parseCosignature } from './cosignature.js';
import { constantTimeEqual, encodeUtf8 } from './encoding.js';
import {
  createNoteSigner,
  createNoteVerifier,
  type NoteSignerKey,
  type NoteVerifier,
  type NoteVerifierKey,
} from './note-key.js';
import type { NoteSignature, OpenedNote } from './signed-note.js';

/**
 * Witnessing (c2sp.org/tlog-witness, c2sp.org/tlog-cosignature): a witness remembers the last checkpoint it
 * cosigned for a log and cosigns a new one only when the log proves that the new tree extends the old one. Two
 * different trees of the same size are a fork; a smaller tree is a rollback; a larger tree without a valid
 * consistency proof is a history rewrite. Either way the witness refuses, and everyone who requires its cosignature
 * refuses the checkpoint too.
 */

/** What a witness remembers of a log: the origin, size and root of the last checkpoint it cosigned. */
export interface WitnessState {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
}

/**
 * What a witness does with a checkpoint, given what it remembers:
 * - `first`: nothing remembered yet; cosign (trust on first use);
 * - `unchanged`: the same size and root; nothing new to cosign;
 * - `needs-proof`: a larger tree; fetch the consistency proof `from` → `to` and decide again with its outcome;
 * - `grown`: a larger tree whose consistency proof verified; cosign;
 * - `fork`: the same size with another root, or another origin: the log shows two histories;
 * - `not-consistent`: a larger tree whose consistency proof failed (or was not given): history was rewritten;
 * - `rollback`: a smaller tree than one already cosigned.
 */
export type WitnessDecision =
  | { readonly kind: 'first' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'needs-proof'; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'grown'; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'fork'; readonly reason: string }
  | { readonly kind: 'not-consistent'; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'rollback'; readonly from: bigint; readonly to: bigint };

/**
 * Decides what a witness does with the checkpoint `next` when it last cosigned `previous` (undefined: never).
 * `proofOk` is the outcome of checking the consistency proof from `previous.size` to `next.size`; leave it out
 * until the decision asks for one (`needs-proof`). Pure: fetching and checking the proof is the caller's job.
 *
 * @example
 * ```ts
 * let decision = witnessDecision(state, next);
 * if (decision.kind === 'needs-proof') decision = witnessDecision(state, next, checkProof(decision.from, decision.to));
 * if (decision.kind === 'first' || decision.kind === 'grown') cosign(next);
 * ```
 */
export function witnessDecision(
  previous: WitnessState | undefined,
  next: WitnessState,
  proofOk?: boolean,
): WitnessDecision {
  if (previous === undefined) return { kind: 'first' };
  if (previous.origin !== next.origin) {
    return { kind: 'fork', reason: `the origin changed from ${previous.origin} to ${next.origin}` };
  }
  const from = previous.size;
  const to = next.size;
  if (to < from) return { kind: 'rollback', from, to };
  if (to === from) {
    return constantTimeEqual(previous.rootHash, next.rootHash)
      ? { kind: 'unchanged' }
      : { kind: 'fork', reason: `two different roots for the same tree size ${to}` };
  }
  // An empty tree is a prefix of every tree: nothing to prove (RFC 9162 §2.1.4 has no proof from size 0).
  if (from === 0n) return { kind: 'grown', from, to };
  if (proofOk === undefined) return { kind: 'needs-proof', from, to };
  return proofOk ? { kind: 'grown', from, to } : { kind: 'not-consistent', from, to };
}

/**
 * Cosigns a checkpoint text with a `cosignature/v1` witness key at the time `now` gives: the signature line to add to
 * the checkpoint's note (or to send to the log). Throws `NOTE_KEY_INVALID` for a key of another type.
 *
 * @example
 * ```ts
 * const signature = cosignCheckpoint(opened.note.text, witnessKey, () => clock.now());
 * formatNoteSignatureLine(signature) // '— witness.example/w1 …'
 * ```
 */
export function cosignCheckpoint(checkpointText: string, key: NoteSignerKey, now: () => Date): NoteSignature {
  if (key.type !== 'cosignature/v1') {
    throw new InvalidInputError('NOTE_KEY_INVALID', 'a witness key has type cosignature/v1', [
      { path: 'key', message: 'expected a cosignature/v1 key' },
    ]);
  }
  const signer = createNoteSigner(key, { now });
  return { name: signer.name, keyId: signer.keyId, signature: signer.sign(encodeUtf8(checkpointText)) };
}

/** The outcome of `verifyCosignature`: the cosignature's time, or why it was refused. Never thrown. */
export type CosignatureVerification =
  | { readonly ok: true; readonly value: { readonly timestamp: bigint } }
  | {
      readonly ok: false;
      readonly code: 'NOTE_KEY_INVALID' | 'SIGNATURE_INVALID';
      readonly issues: readonly InputIssue[];
    };

/**
 * Checks one cosignature on a checkpoint text: the key must be a `cosignature/v1` key, the signature line must
 * carry its name and key ID, and the Ed25519 signature over `cosignature/v1`, its time and the text must verify.
 *
 * @example
 * ```ts
 * const checked = verifyCosignature(checkpointText, parsedLine, witnessKey);
 * if (checked.ok) new Date(Number(checked.value.timestamp) * 1000)
 * ```
 */
export function verifyCosignature(
  checkpointText: string,
  signature: NoteSignature,
  key: NoteVerifierKey,
): CosignatureVerification {
  if (key.type !== 'cosignature/v1') {
    return {
      ok: false,
      code: 'NOTE_KEY_INVALID',
      issues: [{ path: 'witnessKey', message: 'a witness key has type cosignature/v1' }],
    };
  }
  if (signature.name !== key.name || signature.keyId !== key.keyId) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      issues: [{ path: 'signature', message: 'the signature line names another key than the witness key' }],
    };
  }
  const parsed = parseCosignature(signature.signature);
  if (!parsed.ok) return { ok: false, code: 'SIGNATURE_INVALID', issues: parsed.issues };
  if (!createNoteVerifier(key).verify(encodeUtf8(checkpointText), signature.signature)) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      issues: [{ path: 'signature', message: 'the cosignature does not verify over this checkpoint' }],
    };
  }
  return { ok: true, value: { timestamp: parsed.value.timestamp } };
}

/** A witness whose cosignature on a checkpoint verified, and the time it gave. */
export interface WitnessCosignature {
  readonly name: string;
  readonly keyId: number;
  /** Seconds since the POSIX epoch, from the cosignature. */
  readonly timestamp: bigint;
}

/**
 * Checks the cosignatures of the given witnesses on an opened note (signed-note: every signature from a known key must
 * verify, so one that fails refuses the note). Returns the witnesses whose cosignature verified, with their times; a
 * witness with no cosignature on the note is simply absent. Witnesses are `cosignature/v1` verifiers.
 */
export function checkWitnessCosignatures(
  note: OpenedNote,
  witnesses: readonly NoteVerifier[],
): { ok: true; value: readonly WitnessCosignature[] } | { ok: false; issues: readonly InputIssue[] } {
  const text = encodeUtf8(note.text);
  const found: WitnessCosignature[] = [];
  for (const witness of witnesses) {
    let latest: bigint | undefined;
    for (const signature of [...note.verified, ...note.unverified]) {
      if (signature.name !== witness.name || signature.keyId !== witness.keyId) continue;
      const parsed = parseCosignature(signature.signature);
      if (!parsed.ok || !witness.verify(text, signature.signature)) {
        const message = `the cosignature by ${witness.name} (key ID ${witness.keyId.toString(16).padStart(8, '0')}) does not verify`;
        return { ok: false, issues: [{ path: 'checkpoint', message }] };
      }
      if (latest === undefined || parsed.value.timestamp > latest) latest = parsed.value.timestamp;
    }
    if (latest !== undefined) found.push({ name: witness.name, keyId: witness.keyId, timestamp: latest });
  }
  return { ok: true, value: found };
}
