/**
 * Running Debian's `ffmpeg` (and `fpcalc`, Chromaprint's command-line tool, for cross-checks) as child processes,
 * without a shell, with a time limit, an output cap and typed errors. Audio decoding uses it; the video fingerprints
 * reuse it for frames and soundtracks.
 */
import { spawn } from 'node:child_process';
import { FingerprintError } from './errors.js';

/** How one run of a tool is bounded, and what it reads. */
export interface RunToolOptions {
  /**
   * What ffmpeg decodes: bytes (fed on stdin, read as `pipe:0`) or a file path (read with the `file:` protocol, so
   * that a name such as `http://…` or `concat:…` stays a file name). Omit it when `args` say everything.
   */
  readonly input?: Uint8Array | string;
  /** Options that go before `-i` (an input format such as `-f s16le -ar 11025 -ac 1`). */
  readonly inputArgs?: readonly string[];
  /** Wall-clock limit; past it the process is killed and the promise rejects with `DECODE_TIMEOUT`. */
  readonly timeoutMs: number;
  /** Largest stdout accepted; past it the process is killed and the promise rejects with `FILE_TOO_LARGE`. */
  readonly maxOutputBytes: number;
  /** Aborting kills the process and rejects with the signal's reason, as Node's own APIs do. */
  readonly signal?: AbortSignal;
}

interface Tool {
  readonly command: string;
  readonly install: string;
}

const FFMPEG: Tool = { command: 'ffmpeg', install: "install Debian's ffmpeg (bash scripts/setup-system.sh)" };
const FFPROBE: Tool = { command: 'ffprobe', install: "install Debian's ffmpeg (bash scripts/setup-system.sh)" };
const FPCALC: Tool = {
  command: 'fpcalc',
  install: "install Debian's libchromaprint-tools (bash scripts/setup-system.sh)",
};

/** Lines of stderr kept for the error message of a failed run. */
const STDERR_TAIL_LINES = 8;
const STDERR_KEEP_BYTES = 16_384;

/** The abort reason as an Error (an `AbortSignal`'s default reason, a DOMException, already is one). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the operation was aborted', { cause: reason });
}

function runTool(tool: Tool, args: readonly string[], options: RunToolOptions): Promise<Uint8Array> {
  const { input, timeoutMs, maxOutputBytes, signal } = options;
  return new Promise<Uint8Array>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const feedsStdin = input instanceof Uint8Array;
    const child = spawn(tool.command, args, { stdio: [feedsStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], shell: false });
    const chunks: Buffer[] = [];
    let outputBytes = 0;
    let stderr = '';
    let settled = false;

    const finish = (outcome: { error: Error } | { value: Uint8Array }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) {
        // SIGKILL: a decoder stuck on hostile input may ignore SIGTERM. Harmless once the process has exited.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(outcome.error);
      } else resolve(outcome.value);
    };
    const onAbort = (): void => {
      if (signal) finish({ error: abortReason(signal) });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        finish({
          error: new FingerprintError(
            'DECODE_TIMEOUT',
            `${tool.command} ran longer than ${timeoutMs} ms and was stopped`,
          ),
        }),
      timeoutMs,
    );

    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        error:
          error.code === 'ENOENT'
            ? new FingerprintError('TOOL_MISSING', `${tool.command} was not found: ${tool.install}`, { cause: error })
            : new FingerprintError('DECODE_FAILED', `${tool.command} could not be started: ${error.message}`, {
                cause: error,
              }),
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > maxOutputBytes) {
        finish({
          error: new FingerprintError(
            'FILE_TOO_LARGE',
            `${tool.command} wrote more than ${maxOutputBytes} bytes and was stopped`,
          ),
        });
        return;
      }
      chunks.push(chunk);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP_BYTES);
    });
    child.on('close', (code, killedBy) => {
      if (code === 0) {
        const out = Buffer.concat(chunks, outputBytes);
        finish({ value: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
        return;
      }
      const tail = stderr.trim().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
      const how = code !== null ? `exited with status ${code}` : `was killed by ${killedBy ?? 'a signal'}`;
      finish({ error: new FingerprintError('DECODE_FAILED', `${tool.command} ${how}${tail ? `: ${tail}` : ''}`) });
    });

    if (feedsStdin && child.stdin) {
      // The tool may exit before reading everything (it found an error, or has read enough): EPIPE on stdin is
      // expected then, and the exit status says what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/**
 * Runs Debian's ffmpeg as `ffmpeg -nostdin -hide_banner -loglevel error [inputArgs] -i <input> ...args` and returns
 * what it writes to stdout (so `args` should end with an output format and `-` or `pipe:1`). Only the `file` and
 * `pipe` protocols are allowed, so a hostile playlist cannot make ffmpeg fetch a URL. Errors: `TOOL_MISSING` (the
 * message says what to install), `DECODE_FAILED` with the last lines of stderr, `DECODE_TIMEOUT`, `FILE_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const pcm = await runFfmpeg(['-f', 's16le', '-ac', '1', '-ar', '11025', '-'], {
 *   input: 'song.mp3', timeoutMs: 60_000, maxOutputBytes: 20_000_000,
 * });
 * ```
 */
export function runFfmpeg(args: readonly string[], options: RunToolOptions): Promise<Uint8Array> {
  const { input, inputArgs = [] } = options;
  const source = input === undefined ? [] : ['-i', typeof input === 'string' ? `file:${input}` : 'pipe:0'];
  const protocols = input === undefined ? [] : ['-protocol_whitelist', typeof input === 'string' ? 'file' : 'pipe'];
  return runTool(
    FFMPEG,
    ['-nostdin', '-hide_banner', '-loglevel', 'error', ...protocols, ...inputArgs, ...source, ...args],
    options,
  );
}

/**
 * Runs Debian's ffprobe on a file as `ffprobe -hide_banner -loglevel error -protocol_whitelist file ...args
 * file:<path>` and returns its stdout (ask for `-of json`). Same limits and errors as `runFfmpeg`; `input` must be a
 * path (ffprobe seeks, which a pipe cannot do for MP4).
 *
 * @example
 * ```ts
 * const json = await runFfprobe(['-show_streams', '-of', 'json'], { input: 'clip.mp4', timeoutMs: 30_000, maxOutputBytes: 1 << 20 });
 * ```
 */
export function runFfprobe(
  args: readonly string[],
  options: Omit<RunToolOptions, 'input' | 'inputArgs'> & { readonly input: string },
): Promise<Uint8Array> {
  return runTool(
    FFPROBE,
    ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file', ...args, `file:${options.input}`],
    {
      timeoutMs: options.timeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}

/**
 * Runs Chromaprint's `fpcalc` (Debian libchromaprint-tools) with `args` and returns its stdout; used to cross-check
 * heoga's fingerprints against the reference tool. Same limits and errors as `runFfmpeg`; `input` is not used.
 *
 * @example
 * ```ts
 * const json = new TextDecoder().decode(await runFpcalc(['-raw', '-json', 'song.wav'], { timeoutMs: 30_000, maxOutputBytes: 1 << 20 }));
 * ```
 */
export function runFpcalc(args: readonly string[], options: Omit<RunToolOptions, 'input'>): Promise<Uint8Array> {
  return runTool(FPCALC, args, options);
}

async function available(run: () => Promise<Uint8Array>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (error instanceof FingerprintError && error.code === 'TOOL_MISSING') return false;
    throw error;
  }
}

/**
 * Whether Debian's ffmpeg can be run (`ffmpeg -version`). Other failures than a missing binary are thrown.
 *
 * @example
 * ```ts
 * if (!(await ffmpegAvailable())) console.error("install Debian's ffmpeg (bash scripts/setup-system.sh)");
 * ```
 */
export function ffmpegAvailable(): Promise<boolean> {
  return available(() => runTool(FFMPEG, ['-version'], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 }));
}

/**
 * Whether Chromaprint's fpcalc can be run (`fpcalc -version`).
 *
 * @example
 * ```ts
 * if (!(await fpcalcAvailable())) console.error("install Debian's libchromaprint-tools (bash scripts/setup-system.sh)");
 * ```
 */
export function fpcalcAvailable(): Promise<boolean> {
  return available(() => runTool(FPCALC, ['-version'], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 }));
}
