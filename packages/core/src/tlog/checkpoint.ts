import { InvalidInputError, type InputIssue, type ParseResult } from '../errors.js';
import { decodeBase64, encodeBase64, hasControlCharacter, isWellFormedText } from './encoding.js';
import { HASH_SIZE, MAX_TREE_SIZE } from './merkle-hash.js';
import type { NoteVerifier } from './note-key.js';
import { NOTE_LIMITS, openNote, throwNoteFailure, type NoteFailureCode, type OpenedNote } from './signed-note.js';

/**
 * C2SP tlog-checkpoint: the note text a log signs for each tree head. Three or more non-empty lines: the origin (the
 * log's identity), the tree size in decimal, the base64 root hash, then optional extension lines.
 */

/** A log's signed tree head. */
export interface Checkpoint {
  /** The log's identity, e.g. `heoga.example/log`; the log's key name should be the same. */
  readonly origin: string;
  readonly size: bigint;
  /** The RFC 6962 root of the first `size` leaves (32 bytes; `SHA-256("")` for the empty tree). */
  readonly rootHash: Uint8Array;
  /** Extension lines, each non-empty. NOT RECOMMENDED by the spec: monitors cannot audit them. */
  readonly extensions: readonly string[];
}

/** A checkpoint read from a signed note whose signatures were checked. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/** The outcome of `openCheckpoint`: the checkpoint, or why the note or its text was refused. Never thrown. */
export type CheckpointVerification =
  | { readonly ok: true; readonly value: OpenedCheckpoint }
  | {
      readonly ok: false;
      readonly code: NoteFailureCode | 'CHECKPOINT_INVALID';
      readonly issues: readonly InputIssue[];
    };

const TREE_SIZE = /^(?:0|[1-9][0-9]{0,19})$/;

const invalid = (path: string, message: string): { ok: false; issues: InputIssue[] } => ({
  ok: false,
  issues: [{ path, message }],
});

/**
 * Parses a checkpoint's note text (the text of the signed note, ending in a newline, without signature lines).
 * Strict: the size has no sign and no leading zeros and fits a uint64; the root hash is canonical base64 of exactly
 * 32 bytes; no line is empty. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
 * if (parsed.ok) parsed.value.size // 20852163n
 * ```
 */
export function parseCheckpoint(text: string): ParseResult<Checkpoint> {
  if (typeof text !== 'string' || text.length > NOTE_LIMITS.maxBytes) {
    return invalid('(root)', `expected a string of at most ${NOTE_LIMITS.maxBytes} characters`);
  }
  if (!text.endsWith('\n')) return invalid('(root)', 'a checkpoint text ends in a newline');
  if (!isWellFormedText(text) || hasControlCharacter(text)) {
    return invalid('(root)', 'a checkpoint text is well-formed Unicode without control characters other than newline');
  }
  const lines = text.slice(0, -1).split('\n');
  const [origin = '', size = '', root = '', ...extensions] = lines;
  if (lines.length < 3) return invalid('(root)', 'a checkpoint has at least three lines: origin, tree size, root hash');
  if (origin === '') return invalid('origin', 'the origin line is empty');
  if (!TREE_SIZE.test(size) || BigInt(size) > MAX_TREE_SIZE) {
    return invalid('size', 'expected the tree size in decimal, without leading zeros, at most 2^64 - 1');
  }
  const rootHash = decodeBase64(root);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) {
    return invalid('rootHash', `expected the root hash as canonical base64 of ${HASH_SIZE} bytes`);
  }
  const empty = extensions.indexOf('');
  if (empty >= 0) return invalid(`extensions[${empty}]`, 'extension lines must be non-empty');
  return { ok: true, value: { origin, size: BigInt(size), rootHash, extensions } };
}

/**
 * Writes a checkpoint's note text, to sign with `signNote`. Throws `CHECKPOINT_INVALID` for anything
 * `parseCheckpoint` would refuse, so `parseCheckpoint(formatCheckpoint(c))` always gives back `c`.
 *
 * @example
 * ```ts
 * formatCheckpoint({ origin: 'heoga.example/log', size: 8n, rootHash, extensions: [] })
 * // 'heoga.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'
 * ```
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  const fail = (path: string, message: string): never => {
    throw new InvalidInputError('CHECKPOINT_INVALID', `${path}: ${message}`, [{ path, message }]);
  };
  if (typeof size !== 'bigint' || size < 0n || size > MAX_TREE_SIZE) {
    fail('size', 'expected a bigint between 0 and 2^64 - 1');
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) fail('rootHash', 'expected a 32-byte hash');
  const lines = [origin, size.toString(), encodeBase64(rootHash), ...extensions];
  if (lines.some((line) => typeof line !== 'string' || line === '' || line.includes('\n'))) {
    fail('(root)', 'the origin and extension lines must be non-empty single lines');
  }
  const text = `${lines.join('\n')}\n`;
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) fail(parsed.issues[0]?.path ?? '(root)', parsed.issues[0]?.message ?? 'invalid checkpoint');
  return text;
}

/**
 * Opens a signed checkpoint: checks the note's signatures with `openNote` (at least one known key must have signed,
 * and every known key's signature must verify), then parses its text. Which keys must have signed (the log's key,
 * a quorum of witnesses) is the caller's policy: read `value.note.verified`. Never throws.
 *
 * @example
 * ```ts
 * const opened = openCheckpoint(body, [createNoteVerifier(logKey)]);
 * if (opened.ok) verifyInclusion({ ...receipt, treeSize: opened.value.checkpoint.size, root: opened.value.checkpoint.rootHash });
 * ```
 */
export function openCheckpoint(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): CheckpointVerification {
  const opened = openNote(input, verifiers);
  if (!opened.ok) return opened;
  const parsed = parseCheckpoint(opened.value.text);
  if (!parsed.ok) return { ok: false, code: 'CHECKPOINT_INVALID', issues: parsed.issues };
  return { ok: true, value: { checkpoint: parsed.value, note: opened.value } };
}

/** `openCheckpoint`, throwing `InvalidInputError` or `VerificationError` (`SIGNATURE_INVALID`) on failure. */
export function openCheckpointOrThrow(
  input: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedCheckpoint {
  const opened = openCheckpoint(input, verifiers);
  if (!opened.ok) throwNoteFailure(opened);
  return opened.value;
}
