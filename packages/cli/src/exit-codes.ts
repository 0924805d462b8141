/**
 * The heoga command's exit codes, one per family of failure (clig.dev: map exit codes to the failure modes that
 * matter). Scripts may rely on them; never renumber one.
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A bug or an unexpected failure: report it. */
  internal: 1,
  /** The command line was wrong: unknown flag, missing argument, bad choice. */
  usage: 2,
  /** The input was read but is not valid (bad JSON, bad statements, out-of-range values). */
  invalidInput: 3,
  /** A file or stream could not be read or written. */
  io: 4,
  /** `--exit-code` was given and the verdict is not `cleared`. */
  notCleared: 5,
  /** Not allowed: unknown credentials, or the account may not do this. */
  denied: 6,
} as const;

/** An exit code of the heoga command. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
