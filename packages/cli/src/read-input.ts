import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** The largest JSON input the CLI reads (16 MiB): bigger inputs are refused before parsing. */
export const MAX_JSON_INPUT_BYTES = 16 * 1024 * 1024;

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** Reads `path` (or standard input for `-`) and decodes it as JSON, with typed errors for every failure. */
export async function readJsonInput(io: CliIo, path: string): Promise<unknown> {
  const label = path === '-' ? 'standard input' : path;
  let bytes: Uint8Array;
  try {
    bytes = path === '-' ? await io.readStdin() : await io.readFile(path);
  } catch (cause) {
    const code = errnoCode(cause);
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(cause));
    throw new CliError('FILE_UNREADABLE', `cannot read ${label}: ${why}`, { cause });
  }
  if (bytes.byteLength > MAX_JSON_INPUT_BYTES) {
    throw new CliError('FILE_TOO_LARGE', `${label} is ${bytes.byteLength} bytes; the limit is ${MAX_JSON_INPUT_BYTES}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new CliError('JSON_INVALID', `${label} is not UTF-8 text`, { cause });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (cause) {
    throw new CliError('JSON_INVALID', `${label} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}
