/** Stable codes of the scanner's errors: scripts and the CLI's JSON output rely on them; never rename one. */
export const SCAN_ERROR_CODES = [
  /** The input file or folder is missing, unreadable, or not the format it claims (bad magic, unreadable footer). */
  'INPUT_UNREADABLE',
  /** The input's format cannot be told from its name and `--format` was not given. */
  'INPUT_FORMAT_UNKNOWN',
  /** A snapshot is not a heoga index snapshot, or is of a version this scanner does not read. */
  'SNAPSHOT_INVALID',
  /** A snapshot's checksum or signature does not verify: it was changed after it was signed. */
  'SNAPSHOT_TAMPERED',
  /** A snapshot verifies, but under a key other than the one the caller pinned. */
  'SNAPSHOT_UNTRUSTED',
  /** The output folder holds a checkpoint of a different scan (other input, snapshot, regime, use or mapping). */
  'CHECKPOINT_MISMATCH',
  /** An output file cannot be written. */
  'OUTPUT_UNWRITABLE',
] as const;

/** A code of {@link ScanError}. */
export type ScanErrorCode = (typeof SCAN_ERROR_CODES)[number];

/**
 * An error that stops a scan (never one about a single record: those become `unreadable` verdicts), with a stable
 * code. `path` names the file concerned when there is one.
 *
 * @example
 * ```ts
 * try { await openSnapshot('index.heoga'); }
 * catch (e) { if (e instanceof ScanError && e.code === 'SNAPSHOT_TAMPERED') console.error(e.message); }
 * ```
 */
export class ScanError extends Error {
  readonly code: ScanErrorCode;
  readonly path: string | undefined;

  constructor(code: ScanErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScanError';
    this.code = code;
    this.path = options?.path;
  }
}
