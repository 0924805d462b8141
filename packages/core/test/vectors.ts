import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One line saying how to enable the vector tests, shown when they are skipped. */
export const VECTORS_NOTICE =
  'reference-vector tests are skipped: set HEOGA_VECTORS to the absolute path of shared/vectors (bash .ci/run does, and fails without them)';

/**
 * Where the vectors are, or undefined when they are not on this machine (a user's fresh clone): `HEOGA_VECTORS`
 * when set, else the folder beside the project. A set but missing `HEOGA_VECTORS` is an error, never a skip.
 */
export function findVectorsDir(): string | undefined {
  const fromEnv = process.env.HEOGA_VECTORS;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`HEOGA_VECTORS is ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const beside = fileURLToPath(new URL('../../../../shared/vectors', import.meta.url));
  return existsSync(beside) ? beside : undefined;
}

/** True when the vectors are here; suites that need them use `describe.skipIf(!VECTORS_AVAILABLE)`. */
export const VECTORS_AVAILABLE = findVectorsDir() !== undefined;

/**
 * The reference vectors folder (../shared/vectors, see its README): `HEOGA_VECTORS` when set (.ci/run sets it and
 * fails when the folder is missing), else the folder beside the project. Throws when neither is there; suites
 * guard with `VECTORS_AVAILABLE` and read vectors inside their tests, so a missing folder shows as skipped, with
 * the notice, on a user's fresh clone.
 *
 * @example
 * ```ts
 * const example = readVectorJson<{ vkey: string }>('signed-note/example.json');
 * ```
 */
export function vectorsDir(): string {
  const found = findVectorsDir();
  if (found !== undefined) return found;
  throw new Error(
    'reference vectors not found: set HEOGA_VECTORS to the absolute path of shared/vectors ' +
      '(e.g. HEOGA_VECTORS=/work/shared/vectors npx vitest run packages/core)',
  );
}

/** Parses one JSON file under the vectors folder. */
export function readVectorJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(vectorsDir(), relativePath), 'utf8')) as T;
}

/** Every `.json` file under a folder of the vectors, recursively, as paths relative to that folder, sorted. */
export function listVectorFiles(relativeDir: string): string[] {
  const root = join(vectorsDir(), relativeDir);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.json') ? [path.slice(root.length + 1)] : [];
    });
  return walk(root).sort();
}
