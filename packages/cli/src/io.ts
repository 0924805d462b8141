/**
 * Everything the CLI needs from the outside world, passed in so that tests run the CLI in-process. `bin.ts` builds
 * the real one from `process`; nothing else in the CLI touches `process`.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a whole file as bytes. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /**
   * Writes a whole file. `exclusive` refuses (EEXIST) when the file exists; `mode` sets the permissions of a new
   * file (0o600 for secrets).
   */
  readonly writeFile: (
    path: string,
    data: string | Uint8Array,
    options?: { readonly mode?: number; readonly exclusive?: boolean },
  ) => Promise<void>;
  /** Renames a file over another (atomic within one file system): write a temporary file, then rename it. */
  readonly rename: (from: string, to: string) => Promise<void>;
  /** Reads standard input to its end. */
  readonly readStdin: () => Promise<Uint8Array>;
  /** The current time. */
  readonly now: () => Date;
  /** Settings read once from the environment at start-up. */
  readonly env: CliEnvironment;
  /** The environment variables, for commands that load a configuration from them (serve, import). */
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly stderrIsTty: boolean;
  /** The stream progress bars draw on (stderr), when there is one. */
  readonly progressStream?: NodeJS.WritableStream;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  readonly untilShutdown: () => Promise<string>;
  /** HTTP client for remote commands (the global fetch by default). */
  readonly fetch: typeof fetch;
}

/** The environment settings the CLI honours, read once at the edge. */
export interface CliEnvironment {
  /** Colour on stdout: a TTY, no `NO_COLOR`, `TERM` not `dumb`. */
  readonly color: boolean;
  /** Language for messages to people: `ko` when `HEOGA_LANG` or `LANG` starts with `ko`. */
  readonly lang: 'en' | 'ko';
  /** `--debug` or `HEOGA_DEBUG=1`: print stack traces of unexpected errors. */
  readonly debug: boolean;
}
