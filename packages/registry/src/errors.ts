import type { InputIssue } from '@heoga/core';

/**
 * Codes of the registry's errors, grouped by who must react:
 * - the caller's input: `VALIDATION_FAILED`, `IMPORT_REJECTED`;
 * - who the caller is: `UNAUTHENTICATED`, `FORBIDDEN`;
 * - the state of the data: `NOT_FOUND`, `EMAIL_TAKEN`, `VERSION_MISMATCH`, `CONFLICT`;
 * - the machine: `STORAGE_FAILED`.
 * Codes are API (problem+json `code`, CLI messages): never reuse or rename one.
 */
export type RegistryErrorCode =
  | 'VALIDATION_FAILED'
  | 'IMPORT_REJECTED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'VERSION_MISMATCH'
  | 'CONFLICT'
  | 'STORAGE_FAILED';

/**
 * An error of the registry, with a stable code and, for bad input, the issues (JSON path and message).
 *
 * @example
 * ```ts
 * throw new RegistryError('NOT_FOUND', `no work ${id}`);
 * ```
 */
export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly issues: readonly InputIssue[];

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown; issues?: readonly InputIssue[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RegistryError';
    this.code = code;
    this.issues = options?.issues ?? [];
  }
}
