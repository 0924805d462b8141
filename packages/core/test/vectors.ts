import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reference vectors folder (../shared/vectors, see its README): `HEOGA_VECTORS` when set (.ci/run sets it),
 * else the folder beside the project when it exists. Fails, never skips, when neither is there: a vector test that
 * silently passes proves nothing.
 *
 * @example
 * ```ts
 * const example = readVectorJson<{ vkey: string }>('signed-note/example.json');
 * ```
 */
export function vectorsDir(): string {
  const fromEnv = process.env.HEOGA_VECTORS;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`HEOGA_VECTORS is ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  // packages/core/test/ → the folder that holds the project → shared/vectors.
  const beside = fileURLToPath(new URL('../../../../shared/vectors', import.meta.url));
  if (existsSync(beside)) return beside;
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
