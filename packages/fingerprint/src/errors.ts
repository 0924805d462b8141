/**
 * Typed errors of `@heoga/fingerprint`: reading and decoding files on the creator's machine. Bad content inside a
 * decoded file (too few pixels, audio too short) is `@heoga/core`'s `InvalidInputError`; this class covers what
 * happens before the algorithms see anything: the file, the decoder, the tools it needs.
 *
 * @example
 * ```ts
 * try { await fingerprintFile('song.mp3') } catch (e) {
 *   if (e instanceof FingerprintError && e.code === 'TOOL_MISSING') console.error(e.message) // says what to install
 * }
 * ```
 */

/** Why a file could not be fingerprinted. Codes are API: never reuse or rename one. */
export type FingerprintErrorCode =
  /** The bytes are not a file of the expected kind, or are truncated or corrupt. */
  | 'DECODE_FAILED'
  /** The file (or the decoded image, in pixels) is over a documented limit; nothing was decoded past the check. */
  | 'FILE_TOO_LARGE'
  /** A system tool (ffmpeg, fpcalc) is not installed; the message says which Debian package to install. */
  | 'TOOL_MISSING'
  /** The kind of file could not be told, or heoga does not fingerprint it. */
  | 'UNSUPPORTED_FORMAT'
  /** The file could not be read (missing, a directory, no permission). */
  | 'READ_FAILED'
  /** A decoder ran longer than its time limit and was stopped. */
  | 'DECODE_TIMEOUT';

/** Raised when a file cannot be turned into the input a fingerprint algorithm needs. */
export class FingerprintError extends Error {
  readonly code: FingerprintErrorCode;

  constructor(code: FingerprintErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FingerprintError';
    this.code = code;
  }
}
