import { InvalidInputError, VerificationError, type InputIssue, type ParseResult } from '../errors.js';
import {
  decodeBase64,
  decodeUtf8,
  encodeBase64,
  encodeUtf8,
  hasControlCharacter,
  isWellFormedText,
} from './encoding.js';
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './note-key.js';

/**
 * C2SP signed notes (c2sp.org/signed-note v1.0.0): a UTF-8 text ending in a newline, a blank line, then one or
 * more lines `— <key name> <base64(4-byte key ID || signature)>`. The text is what is signed; it may hold empty
 * lines, and the last empty line of the note separates it from the signatures.
 */

/** Bounds on untrusted notes, checked before anything else is read. signed-note asks for at least 16 signatures. */
export const NOTE_LIMITS = {
  maxBytes: 1024 * 1024,
  maxSignatures: 100,
} as const;

/** One signature line: the key's name and ID, and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly name: string;
  /** uint32, the first four bytes of the decoded signature, big-endian. */
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note as written: its text (ending in a newline) and its signature lines in order, verified or not. */
export interface Note {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note whose signatures were checked: those from known keys all verified; the others are listed, unchecked. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures from known keys, each verified; at least one. A repeated line is listed once. */
  readonly verified: readonly NoteSignature[];
  /** Signatures from keys not given to `openNote`: ignored, as signed-note requires. A repeated line is listed once. */
  readonly unverified: readonly NoteSignature[];
}

/** Why a note was refused: malformed (`NOTE_INVALID`), a bad or missing signature, or an ambiguous verifier list. */
export type NoteFailureCode = 'NOTE_INVALID' | 'SIGNATURE_INVALID' | 'NOTE_KEY_INVALID';

/** The outcome of `openNote`: the opened note, or the code and issues. Never thrown. */
export type NoteVerification =
  | { readonly ok: true; readonly value: OpenedNote }
  | { readonly ok: false; readonly code: NoteFailureCode; readonly issues: readonly InputIssue[] };

const SIGNATURE_PREFIX = '\u2014 ';

/** Longest single signature line read on its own: a 1024-character key name and a generous signature. */
const MAX_SIGNATURE_LINE = 4096;

const invalid = (path: string, message: string): { ok: false; issues: InputIssue[] } => ({
  ok: false,
  issues: [{ path, message }],
});

/** The note as a checked string: within the size bound, valid UTF-8 (or well-formed UTF-16), no control characters. */
function readNoteInput(input: string | Uint8Array): ParseResult<string> {
  let text: string | undefined;
  if (typeof input === 'string') {
    // A UTF-8 encoding is never shorter than the UTF-16 string, so this bounds the bytes before encoding them.
    if (input.length > NOTE_LIMITS.maxBytes) {
      return invalid('(root)', `a note is at most ${NOTE_LIMITS.maxBytes} bytes`);
    }
    if (!isWellFormedText(input)) return invalid('(root)', 'the note is not well-formed Unicode');
    if (encodeUtf8(input).length > NOTE_LIMITS.maxBytes) {
      return invalid('(root)', `a note is at most ${NOTE_LIMITS.maxBytes} bytes`);
    }
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.length > NOTE_LIMITS.maxBytes) {
      return invalid('(root)', `a note is at most ${NOTE_LIMITS.maxBytes} bytes`);
    }
    text = decodeUtf8(input);
    if (text === undefined) return invalid('(root)', 'the note is not valid UTF-8');
  } else {
    return invalid('(root)', 'expected the note as a string or bytes');
  }
  // signed-note: no ASCII control characters (below U+0020) other than newline.
  if (hasControlCharacter(text)) return invalid('(root)', 'control characters other than newline are not allowed');
  return { ok: true, value: text };
}

/**
 * Parses one signature line `— <key name> <base64(key ID || signature)>` (without its newline), as a note carries
 * it. Checks the form only, not the signature. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseNoteSignatureLine('— example.com/k AAAAAQ==');
 * if (parsed.ok) parsed.value.keyId // 1
 * ```
 */
export function parseNoteSignatureLine(line: string): ParseResult<NoteSignature> {
  if (typeof line !== 'string' || line.length > MAX_SIGNATURE_LINE) {
    return invalid('signature', `expected a signature line of at most ${MAX_SIGNATURE_LINE} characters`);
  }
  if (!isWellFormedText(line) || hasControlCharacter(line) || line.includes('\n')) {
    return invalid('signature', 'a signature line is one line of well-formed text');
  }
  return parseSignatureLine(line, 'signature');
}

/**
 * Writes one signature line `— <key name> <base64(key ID || signature)>`, without its newline. Throws
 * `NOTE_INVALID` for an invalid key name, key ID or empty signature.
 */
export function formatNoteSignatureLine(signature: NoteSignature): string {
  return formatSignatureLine(signature, 'signature').slice(0, -1);
}

function parseSignatureLine(line: string, path: string): ParseResult<NoteSignature> {
  if (!line.startsWith(SIGNATURE_PREFIX)) return invalid(path, 'a signature line starts with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return invalid(path, 'expected a key name, a space and a base64 signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) return invalid(path, 'the key name must be non-empty, without spaces or "+"');
  const bytes = decodeBase64(rest.slice(space + 1));
  if (bytes === undefined) return invalid(path, 'the signature is not canonical standard base64');
  if (bytes.length < 5) return invalid(path, 'the signature must hold a 4-byte key ID and at least one byte');
  const keyId = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  return { ok: true, value: { name, keyId, signature: bytes.slice(4) } };
}

/**
 * Parses a signed note without checking any signature: use `openNote` to verify. Accepts the note as a string or
 * as bytes (which must be strict UTF-8); refuses notes over `NOTE_LIMITS.maxBytes` or with more than
 * `NOTE_LIMITS.maxSignatures` signatures before parsing further. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseNote('hello\n\n— example.com/k AAAAAQ==\n');
 * if (parsed.ok) parsed.value.signatures[0].keyId // 1
 * ```
 */
export function parseNote(input: string | Uint8Array): ParseResult<Note> {
  const read = readNoteInput(input);
  if (!read.ok) return read;
  const note = read.value;
  // The text is separated from the signatures by the last empty line of the note.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return invalid('(root)', 'expected the text, an empty line, then signature lines');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    return invalid('signatures', 'expected signature lines, each ending in a newline');
  }
  const lines = block.slice(0, -1).split('\n', NOTE_LIMITS.maxSignatures + 1);
  if (lines.length > NOTE_LIMITS.maxSignatures) {
    return invalid('signatures', `a note may carry at most ${NOTE_LIMITS.maxSignatures} signatures`);
  }
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    const parsed = parseSignatureLine(line, `signatures[${i}]`);
    if (!parsed.ok) return parsed;
    signatures.push(parsed.value);
  }
  return { ok: true, value: { text, signatures } };
}

function checkText(text: string): void {
  const fail = (message: string): never => {
    throw new InvalidInputError('NOTE_INVALID', message, [{ path: 'text', message }]);
  };
  if (typeof text !== 'string' || !text.endsWith('\n')) fail('a note text must end in a newline');
  if (!isWellFormedText(text)) fail('a note text must be well-formed Unicode');
  if (hasControlCharacter(text)) fail('a note text may hold no control character other than newline');
}

function formatSignatureLine(signature: NoteSignature, path: string): string {
  const fail = (message: string): never => {
    throw new InvalidInputError('NOTE_INVALID', message, [{ path, message }]);
  };
  if (!isValidKeyName(signature.name)) fail('the key name must be non-empty, without spaces or "+"');
  const { keyId } = signature;
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) fail('a key ID is a uint32');
  if (!(signature.signature instanceof Uint8Array) || signature.signature.length === 0) {
    fail('a signature is not empty');
  }
  const bytes = new Uint8Array(4 + signature.signature.length);
  new DataView(bytes.buffer).setUint32(0, keyId);
  bytes.set(signature.signature, 4);
  return `${SIGNATURE_PREFIX}${signature.name} ${encodeBase64(bytes)}\n`;
}

/**
 * Writes a note in the signed-note format. Throws `NOTE_INVALID` for a text that does not end in a newline or holds
 * control characters, an invalid key name, no signatures, or a note `parseNote` would refuse as too large; so
 * `parseNote(formatNote(note))` always gives back `note`.
 *
 * @example
 * ```ts
 * formatNote({ text: 'hello\n', signatures: [{ name: 'example.com/k', keyId: 1, signature: sig }] })
 * // 'hello\n\n— example.com/k AAAAAf…\n'
 * ```
 */
export function formatNote(note: Note): string {
  checkText(note.text);
  const { signatures } = note;
  if (signatures.length === 0) {
    throw new InvalidInputError('NOTE_INVALID', 'a signed note needs at least one signature');
  }
  if (signatures.length > NOTE_LIMITS.maxSignatures) {
    throw new InvalidInputError('NOTE_INVALID', `a note may carry at most ${NOTE_LIMITS.maxSignatures} signatures`);
  }
  const out = `${note.text}\n${signatures.map((s, i) => formatSignatureLine(s, `signatures[${i}]`)).join('')}`;
  if (encodeUtf8(out).length > NOTE_LIMITS.maxBytes) {
    throw new InvalidInputError('NOTE_INVALID', `a note is at most ${NOTE_LIMITS.maxBytes} bytes`);
  }
  return out;
}

/**
 * Signs a text, or adds signatures to a note: each signer signs the text's UTF-8 bytes. The note's existing
 * signatures come first, except one from the same key (name and key ID) as a signer, which the new one replaces.
 * Throws `NOTE_INVALID` for a text that cannot be a note text or a signer with an invalid name.
 *
 * @example
 * ```ts
 * const note = signNote(formatCheckpoint(checkpoint), [createNoteSigner(logKey)]);
 * formatNote(note) // the checkpoint, ready to serve
 * ```
 */
export function signNote(input: string | Note, signers: readonly NoteSigner[]): Note {
  const { text, signatures: existing } = typeof input === 'string' ? { text: input, signatures: [] } : input;
  checkText(text);
  const bytes = encodeUtf8(text);
  const added = signers.map((signer): NoteSignature => {
    if (!isValidKeyName(signer.name)) throw new InvalidInputError('NOTE_INVALID', `invalid signer name ${signer.name}`);
    return { name: signer.name, keyId: signer.keyId, signature: signer.sign(bytes) };
  });
  const replaced = (s: NoteSignature): boolean => added.some((a) => a.name === s.name && a.keyId === s.keyId);
  return { text, signatures: [...existing.filter((s) => !replaced(s)), ...added] };
}

const keyOf = (name: string, keyId: number): string => `${keyId}:${name}`;

/**
 * Parses a signed note and checks its signatures against known keys, as signed-note requires: signatures from
 * unknown keys (name and key ID) are ignored; every signature from a known key must verify (one that fails refuses
 * the whole note, `SIGNATURE_INVALID`); and at least one must come from a known key. Two verifiers with the same
 * name and key ID give `NOTE_KEY_INVALID`. Never throws.
 *
 * @example
 * ```ts
 * const opened = openNote(body, [createNoteVerifier(logKey)]);
 * if (opened.ok) use(opened.value.text);
 * else if (opened.code === 'SIGNATURE_INVALID') alarm(opened.issues);
 * ```
 */
export function openNote(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): NoteVerification {
  const parsed = parseNote(input);
  if (!parsed.ok) return { ok: false, code: 'NOTE_INVALID', issues: parsed.issues };
  const known = new Map<string, NoteVerifier>();
  for (const verifier of verifiers) {
    const key = keyOf(verifier.name, verifier.keyId);
    if (known.has(key)) {
      const message = `two verifiers share the name ${verifier.name} and key ID ${verifier.keyId.toString(16)}`;
      return { ok: false, code: 'NOTE_KEY_INVALID', issues: [{ path: 'verifiers', message }] };
    }
    known.set(key, verifier);
  }
  const { text, signatures } = parsed.value;
  const textBytes = encodeUtf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const [i, signature] of signatures.entries()) {
    const key = keyOf(signature.name, signature.keyId);
    const verifier = known.get(key);
    if (verifier === undefined) {
      const line = `${key}:${encodeBase64(signature.signature)}`;
      if (!seen.has(line)) unverified.push(signature);
      seen.add(line);
      continue;
    }
    // Every signature from a known key is checked, repeated ones too, so no line of the note goes unchecked.
    if (!verifier.verify(textBytes, signature.signature)) {
      const message = `the signature by ${signature.name} (key ID ${signature.keyId.toString(16).padStart(8, '0')}) does not verify`;
      return { ok: false, code: 'SIGNATURE_INVALID', issues: [{ path: `signatures[${i}]`, message }] };
    }
    if (!verified.some((v) => keyOf(v.name, v.keyId) === key)) verified.push(signature);
  }
  if (verified.length === 0) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      issues: [{ path: 'signatures', message: 'no signature from a known key' }],
    };
  }
  return { ok: true, value: { text, verified, unverified } };
}

/** Throws the failure of a `NoteVerification` as `InvalidInputError` or `VerificationError`, with the same code. */
export function throwNoteFailure(failure: {
  readonly code: NoteFailureCode | 'CHECKPOINT_INVALID';
  readonly issues: readonly InputIssue[];
}): never {
  const message = failure.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  if (failure.code === 'SIGNATURE_INVALID') throw new VerificationError('SIGNATURE_INVALID', message, failure.issues);
  throw new InvalidInputError(failure.code, message, failure.issues);
}

/**
 * `openNote`, throwing on failure: `InvalidInputError` (`NOTE_INVALID`, `NOTE_KEY_INVALID`) or `VerificationError`
 * (`SIGNATURE_INVALID`).
 */
export function openNoteOrThrow(input: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const opened = openNote(input, verifiers);
  if (!opened.ok) throwNoteFailure(opened);
  return opened.value;
}
