import { CoreError, InvalidInputError, type FingerprintKind } from '@heoga/core';
import { FingerprintError, fingerprintFile, type FileFingerprintRecord } from '@heoga/fingerprint';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';

/** Options of `heoga fingerprint`. */
export interface FingerprintOptions {
  readonly json: boolean;
  readonly kind?: FingerprintKind;
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;

function describe(record: FileFingerprintRecord, style: Style): string {
  const parts: string[] = [];
  if (record.text) {
    parts.push(`${record.text.characters.toLocaleString('en-US')} characters`);
    parts.push(`${record.text.winnowCount.toLocaleString('en-US')} winnowing fingerprints`);
  }
  if (record.image) {
    const quality = `quality ${record.image.quality}`;
    parts.push(
      `pdq ${short(record.image.pdq)} ${record.image.unreliable ? style.yellow(`${quality}, unreliable`) : quality}`,
    );
  }
  if (record.video) {
    const reliable = record.video.frames.filter((f) => f.quality >= 50).length;
    parts.push(`${record.video.frames.length} frames (${reliable} usable)`);
  }
  if (record.audio)
    parts.push(`chromaprint ${record.audio.chromaprint.slice(0, 12)}… over ${record.audio.duration.toFixed(1)} s`);
  return `${style.bold(record.file)}  ${record.kind}  sha256 ${short(record.sha256 ?? '')}  ${parts.join(', ')}`;
}

function exitCodeOf(error: unknown): ExitCode | undefined {
  if (error instanceof FingerprintError) {
    return error.code === 'READ_FAILED' || error.code === 'TOOL_MISSING' ? EXIT.io : EXIT.invalidInput;
  }
  if (error instanceof InvalidInputError || error instanceof CoreError) return EXIT.invalidInput;
  return undefined;
}

/**
 * `heoga fingerprint FILE...`: fingerprints each file on this machine (nothing is uploaded) and prints one line per
 * file, or with `--json` one JSON object per line (core's `FingerprintRecord` plus `file` and `bytes`). A file that
 * cannot be fingerprinted is reported on stderr (and, with `--json`, as `{file, error: {code, message}}` on stdout
 * in its place) and the others go on; the exit code is then that of the failure (3 invalid input, 4 I/O).
 */
export async function runFingerprint(
  io: CliIo,
  style: Style,
  files: readonly string[],
  options: FingerprintOptions,
): Promise<ExitCode> {
  let result: ExitCode = EXIT.ok;
  for (const file of files) {
    try {
      const record = await fingerprintFile(file, options.kind ? { kind: options.kind } : {});
      io.stdout(options.json ? `${JSON.stringify(record)}\n` : `${describe(record, style)}\n`);
    } catch (error) {
      const code = exitCodeOf(error);
      if (code === undefined) throw error;
      const { code: errorCode, message } = error as FingerprintError | CoreError;
      io.stderr(`heoga: ${file}: ${message} [${errorCode}]\n`);
      if (options.json) io.stdout(`${JSON.stringify({ file, error: { code: errorCode, message } })}\n`);
      if (result === EXIT.ok || code === EXIT.io) result = code;
    }
  }
  return result;
}
