import { EXIT, type ExitCode } from './exit-codes.js';

/** Codes of errors raised by the CLI itself. */
export type CliErrorCode =
  | 'FILE_UNREADABLE'
  | 'FILE_UNWRITABLE'
  | 'FILE_TOO_LARGE'
  | 'JSON_INVALID'
  | 'STATE_INVALID'
  | 'FETCH_FAILED'
  | 'DENIED'
  | 'USAGE';

const EXIT_FOR: { readonly [C in CliErrorCode]: ExitCode } = {
  FILE_UNREADABLE: EXIT.io,
  FILE_UNWRITABLE: EXIT.io,
  STATE_INVALID: EXIT.invalidInput,
  FETCH_FAILED: EXIT.io,
  DENIED: EXIT.denied,
  FILE_TOO_LARGE: EXIT.invalidInput,
  JSON_INVALID: EXIT.invalidInput,
  USAGE: EXIT.usage,
};

/** An error the CLI reports to people as one line (plus a hint), with the exit code of its family. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = EXIT_FOR[code];
    this.hint = options?.hint;
  }
}
