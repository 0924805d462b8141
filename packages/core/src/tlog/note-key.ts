import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes as secureRandomBytes } from '@noble/hashes/utils.js';
import { InvalidInputError, type InputIssue, type ParseResult } from '../errors.js';
import { cosignatureV1MessageBytes, encodeTimestampedSignature, parseCosignature } from './cosignature.js';
import {
  concatBytes,
  decodeBase64,
  encodeBase64,
  encodeUtf8,
  hasControlCharacter,
  isWellFormedText,
} from './encoding.js';

/**
 * Keys for C2SP signed notes (c2sp.org/signed-note): Ed25519 note signatures (signature type 0x01) and Ed25519
 * `cosignature/v1` witness cosignatures (type 0x04, c2sp.org/tlog-cosignature), their key IDs, and their text forms:
 * verifier keys `<name>+<key ID>+<base64(type || public key)>` and signer keys
 * `PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>` (the forms of golang.org/x/mod/sumdb/note).
 */

/** The note signature types heoga signs and verifies. */
export const NOTE_KEY_TYPES = ['ed25519', 'cosignature/v1'] as const;
export type NoteKeyType = (typeof NOTE_KEY_TYPES)[number];

/** signed-note §Signature types: the identifier byte of each type, hashed into the key ID. */
const SIGNATURE_TYPE_BYTES: Readonly<Record<NoteKeyType, number>> = { ed25519: 0x01, 'cosignature/v1': 0x04 };

/** Longest verifier or signer key string read: room for a name of 900 characters and an Ed25519 key. */
const MAX_KEY_STRING = 1024;
const PUBLIC_KEY_SIZE = 32;
const SEED_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;

/** A public key that verifies note signatures, with the name and key ID that select its signature lines. */
export interface NoteVerifierKey {
  readonly type: NoteKeyType;
  readonly name: string;
  /** uint32: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || type byte || public key). */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

/** A private key (the 32-byte Ed25519 seed) with its public half. Keep it secret; log only the verifier key. */
export interface NoteSignerKey extends NoteVerifierKey {
  readonly seed: Uint8Array;
}

/** Checks note signatures from one key. `signature` is the signature line's bytes after the 4-byte key ID. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs note texts with one key. Returns the signature bytes that follow the 4-byte key ID. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

/**
 * signed-note: key names are non-empty, contain no Unicode space (White_Space, as Go's `unicode.IsSpace`) and no
 * `+`. Names must also be well-formed Unicode without control characters (which no note may hold anyway).
 *
 * @example
 * ```ts
 * isValidKeyName('example.com/log') // true
 * isValidKeyName('a b')             // false
 * ```
 */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    isWellFormedText(name) &&
    !hasControlCharacter(name) &&
    !/[\p{White_Space}+]/u.test(name)
  );
}

/**
 * The key ID of a key: the first four bytes, as a big-endian uint32, of SHA-256(name || 0x0A || type byte || public
 * key) (signed-note §Signatures; tlog-cosignature uses type byte 0x04).
 *
 * @example
 * ```ts
 * computeKeyId('example.com/foo', 'ed25519', publicKey).toString(16) // '530d903a' for the spec's example key
 * ```
 */
export function computeKeyId(name: string, type: NoteKeyType, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(encodeUtf8(name), Uint8Array.of(0x0a, SIGNATURE_TYPE_BYTES[type]), publicKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

function badKey(message: string): InvalidInputError {
  return new InvalidInputError('NOTE_KEY_INVALID', message, [{ path: 'key', message }]);
}

/**
 * The signer key for a 32-byte Ed25519 seed: derives the public key and the key ID. Throws `NOTE_KEY_INVALID` for an
 * invalid name or a seed that is not 32 bytes.
 *
 * @example
 * ```ts
 * const key = noteKeyFromSeed('example.com/log', seed);
 * formatVerifierKey(key) // 'example.com/log+1a2b3c4d+AeR…'
 * ```
 */
export function noteKeyFromSeed(name: string, seed: Uint8Array, type: NoteKeyType = 'ed25519'): NoteSignerKey {
  if (!isValidKeyName(name)) throw badKey('a key name must be non-empty, without spaces or "+"');
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_SIZE) throw badKey('an Ed25519 seed must be 32 bytes');
  if (!NOTE_KEY_TYPES.includes(type)) throw badKey(`unknown key type ${String(type)}`);
  const ownSeed = Uint8Array.from(seed);
  const publicKey = ed25519.getPublicKey(ownSeed);
  return { type, name, keyId: computeKeyId(name, type, publicKey), publicKey, seed: ownSeed };
}

/**
 * Generates a new Ed25519 signer key. Randomness comes from `options.randomBytes` (default: the platform's
 * cryptographic generator, `crypto.getRandomValues`).
 *
 * @example
 * ```ts
 * const key = generateNoteKey('heoga.example/log');
 * const witness = generateNoteKey('witness.example/w1', { type: 'cosignature/v1' });
 * ```
 */
export function generateNoteKey(
  name: string,
  options: { readonly type?: NoteKeyType; readonly randomBytes?: (length: number) => Uint8Array } = {},
): NoteSignerKey {
  const random = options.randomBytes ?? secureRandomBytes;
  return noteKeyFromSeed(name, random(SEED_SIZE), options.type ?? 'ed25519');
}

const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/**
 * The verifier key string `<name>+<8 hex digits of the key ID>+<base64(type byte || public key)>`, to publish.
 *
 * @example
 * ```ts
 * formatVerifierKey(key) // 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'
 * ```
 */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const encoded = encodeBase64(concatBytes(Uint8Array.of(SIGNATURE_TYPE_BYTES[key.type]), key.publicKey));
  return `${key.name}+${hex8(key.keyId)}+${encoded}`;
}

/**
 * The signer key string `PRIVATE+KEY+<name>+<key ID>+<base64(type byte || seed)>`. It holds the private key: store
 * it like a password, never log it.
 */
export function formatSignerKey(key: NoteSignerKey): string {
  const encoded = encodeBase64(concatBytes(Uint8Array.of(SIGNATURE_TYPE_BYTES[key.type]), key.seed));
  return `PRIVATE+KEY+${key.name}+${hex8(key.keyId)}+${encoded}`;
}

type KeyFields = { name: string; keyId: number; type: NoteKeyType; material: Uint8Array };

/** Splits `text` at its first `+`, like Go's `chop`: base64 may itself contain `+`, so only the first ones count. */
function chop(text: string): [string, string | undefined] {
  const at = text.indexOf('+');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseKeyFields(text: string, issues: InputIssue[]): KeyFields | undefined {
  const [name, afterName] = chop(text);
  const [id, encoded] = chop(afterName ?? '');
  if (encoded === undefined) issues.push({ path: 'key', message: 'expected <name>+<key ID>+<base64 key>' });
  else if (!isValidKeyName(name)) issues.push({ path: 'name', message: 'expected a name without spaces or "+"' });
  else if (!/^[0-9a-fA-F]{8}$/.test(id)) issues.push({ path: 'keyId', message: 'expected 8 hex digits' });
  if (issues.length > 0) return undefined;
  const bytes = decodeBase64(encoded ?? '');
  if (bytes === undefined || bytes.length === 0) {
    issues.push({ path: 'key', message: 'expected canonical standard base64' });
    return undefined;
  }
  const type = NOTE_KEY_TYPES.find((t) => SIGNATURE_TYPE_BYTES[t] === bytes[0]);
  if (type === undefined) {
    issues.push({ path: 'key', message: `unsupported signature type 0x${bytes[0]!.toString(16).padStart(2, '0')}` });
    return undefined;
  }
  if (bytes.length !== 1 + PUBLIC_KEY_SIZE) {
    issues.push({ path: 'key', message: 'an Ed25519 key must be 32 bytes after the type byte' });
    return undefined;
  }
  return { name, keyId: Number.parseInt(id, 16), type, material: bytes.subarray(1) };
}

function isEd25519Point(publicKey: Uint8Array): boolean {
  try {
    // Small-order points verify forged signatures under some rules; RFC 8032 strict verification refuses them too.
    return !ed25519.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

/**
 * Parses a verifier key string `<name>+<key ID>+<base64(type || public key)>` for an Ed25519 (0x01) or
 * `cosignature/v1` (0x04) key. The key ID must match the one computed from name, type and key; the public key must
 * be a canonical Ed25519 point. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
 * if (parsed.ok) createNoteVerifier(parsed.value)
 * ```
 */
export function parseVerifierKey(vkey: string): ParseResult<NoteVerifierKey> {
  const issues: InputIssue[] = [];
  if (typeof vkey !== 'string' || vkey.length > MAX_KEY_STRING) {
    return {
      ok: false,
      issues: [{ path: 'key', message: `expected a string of at most ${MAX_KEY_STRING} characters` }],
    };
  }
  const fields = parseKeyFields(vkey, issues);
  if (fields === undefined) return { ok: false, issues };
  const { name, keyId, type, material } = fields;
  if (!isEd25519Point(material)) {
    return { ok: false, issues: [{ path: 'key', message: 'not a usable Ed25519 public key' }] };
  }
  const publicKey = Uint8Array.from(material);
  if (computeKeyId(name, type, publicKey) !== keyId) {
    return { ok: false, issues: [{ path: 'keyId', message: 'the key ID does not match the name and key' }] };
  }
  return { ok: true, value: { type, name, keyId, publicKey } };
}

/**
 * Parses a signer key string `PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>`; the key ID must match the public
 * key derived from the seed. Never throws; issues never quote the key.
 */
export function parseSignerKey(skey: string): ParseResult<NoteSignerKey> {
  const issues: InputIssue[] = [];
  if (typeof skey !== 'string' || skey.length > MAX_KEY_STRING) {
    return {
      ok: false,
      issues: [{ path: 'key', message: `expected a string of at most ${MAX_KEY_STRING} characters` }],
    };
  }
  if (!skey.startsWith('PRIVATE+KEY+')) {
    return { ok: false, issues: [{ path: 'key', message: 'a signer key starts with PRIVATE+KEY+' }] };
  }
  const fields = parseKeyFields(skey.slice('PRIVATE+KEY+'.length), issues);
  if (fields === undefined) return { ok: false, issues };
  const key = noteKeyFromSeed(fields.name, fields.material, fields.type);
  if (key.keyId !== fields.keyId) {
    return { ok: false, issues: [{ path: 'keyId', message: 'the key ID does not match the name and key' }] };
  }
  return { ok: true, value: key };
}

function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    // RFC 8032 strict decoding (not ZIP-215), so no second encoding of a signature verifies.
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/**
 * A verifier for one key. For `cosignature/v1` keys it reads the timestamp from the signature and checks the
 * Ed25519 signature over `cosignatureV1Message(text, timestamp)`.
 *
 * @example
 * ```ts
 * const opened = openNote(noteText, [createNoteVerifier(logKey), createNoteVerifier(witnessKey)]);
 * ```
 */
export function createNoteVerifier(key: NoteVerifierKey): NoteVerifier {
  const publicKey = Uint8Array.from(key.publicKey);
  const { name, keyId, type } = key;
  switch (type) {
    case 'ed25519':
      return { name, keyId, verify: (text, signature) => verifyEd25519(publicKey, text, signature) };
    case 'cosignature/v1':
      return {
        name,
        keyId,
        verify: (text, signature) => {
          const parsed = parseCosignature(signature);
          if (!parsed.ok) return false;
          const message = cosignatureV1MessageBytes(text, parsed.value.timestamp);
          return verifyEd25519(publicKey, message, parsed.value.signature);
        },
      };
    default: {
      const unknown: never = type;
      throw badKey(`unknown key type ${String(unknown)}`);
    }
  }
}

/**
 * A signer for one key. A `cosignature/v1` signer stamps each signature with the time from `options.now` (default:
 * the system clock), in whole seconds; a time before 1970 throws `TIME_INVALID`.
 *
 * @example
 * ```ts
 * const note = signNote(formatCheckpoint(checkpoint), [createNoteSigner(logKey)]);
 * const cosigned = signNote(note, [createNoteSigner(witnessKey, { now: () => clock.now() })]);
 * ```
 */
export function createNoteSigner(key: NoteSignerKey, options: { readonly now?: () => Date } = {}): NoteSigner {
  const seed = Uint8Array.from(key.seed);
  const { name, keyId, type } = key;
  switch (type) {
    case 'ed25519':
      return { name, keyId, sign: (text) => ed25519.sign(text, seed) };
    case 'cosignature/v1': {
      const now = options.now ?? (() => new Date());
      return {
        name,
        keyId,
        sign: (text) => {
          const millis = now().getTime();
          if (!Number.isFinite(millis)) {
            throw new InvalidInputError('TIME_INVALID', 'the clock returned an invalid date');
          }
          const timestamp = BigInt(Math.floor(millis / 1000));
          const signature = ed25519.sign(cosignatureV1MessageBytes(text, timestamp), seed);
          return encodeTimestampedSignature({ timestamp, signature });
        },
      };
    }
    default: {
      const unknown: never = type;
      throw badKey(`unknown key type ${String(unknown)}`);
    }
  }
}
