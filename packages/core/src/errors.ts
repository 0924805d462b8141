/**
 * Typed errors of `@heoga/core`. Every error carries a stable `code`; callers and tests switch on the code,
 * never on the message. Codes are API: never reuse or rename one.
 *
 * @example
 * ```ts
 * try { parseStatementsOrThrow(json) } catch (e) {
 *   if (e instanceof InvalidInputError && e.code === 'STATEMENTS_INVALID') console.error(e.issues)
 * }
 * ```
 */

/** One problem found in an input, with the JSON path where it was found (`statements[2].uses[0]`). */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** Codes for input that cannot be used as given: the caller must fix the input. */
export type InvalidInputCode =
  | 'STATEMENTS_INVALID'
  | 'USE_UNKNOWN'
  | 'REGIME_UNKNOWN'
  | 'TIME_INVALID'
  | 'MONEY_INVALID'
  | 'CURRENCY_UNKNOWN'
  | 'TREE_RANGE_INVALID'
  | 'TREE_HASHES_INVALID'
  | 'NOTE_INVALID'
  | 'NOTE_KEY_INVALID'
  | 'CHECKPOINT_INVALID'
  | 'RECEIPT_INVALID'
  | 'TEXT_INVALID'
  | 'IMAGE_INVALID'
  | 'IMAGE_TOO_LARGE'
  | 'AUDIO_INVALID'
  | 'AUDIO_TOO_SHORT'
  | 'VIDEO_INVALID'
  | 'FINGERPRINT_INVALID';

/** Codes for well-formed input that failed a cryptographic check: a Merkle proof or a signature does not verify. */
export type VerificationCode = 'PROOF_INVALID' | 'SIGNATURE_INVALID';

/** Every code `@heoga/core` can raise. */
export type CoreErrorCode = InvalidInputCode | VerificationCode;

/** Base class of every error raised by `@heoga/core`. */
export class CoreError extends Error {
  readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input was malformed or out of range; `issues` says where and why. */
export class InvalidInputError extends CoreError {
  readonly issues: readonly InputIssue[];

  constructor(
    code: InvalidInputCode,
    message: string,
    issues: readonly InputIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.issues = issues;
  }
}

/**
 * A proof or signature did not verify: the input was well formed, but it does not prove what it claims. Treat it as
 * evidence of tampering or of a misbehaving log, not as a typo to fix; `issues` says which check failed.
 */
export class VerificationError extends CoreError {
  declare readonly code: VerificationCode;
  readonly issues: readonly InputIssue[];

  constructor(
    code: VerificationCode,
    message: string,
    issues: readonly InputIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.issues = issues;
  }
}

/** The outcome of parsing untrusted input: a value, or the list of issues. Parsers never throw. */
export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly InputIssue[] };

/**
 * A JSON path for people, as issues carry it: `statements[2].uses[0]`; `root` for the empty path.
 *
 * @example
 * ```ts
 * formatIssuePath(['statements', 2, 'uses', 0]) // 'statements[2].uses[0]'
 * ```
 */
export function formatIssuePath(path: readonly PropertyKey[], root = '(root)'): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? root : out;
}
