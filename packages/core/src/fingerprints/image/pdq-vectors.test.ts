import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VECTORS_AVAILABLE, vectorsDir } from '../../../test/vectors.js';
import {
  comparePdq,
  hammingDistance,
  parsePpm,
  pdqFromPixels,
  pdqHashToHex,
  type PdqVariant,
  type PdqResult,
} from './index.js';

// vectors/README.md, pdq/: the reference C++ hasher (pdq-photo-hasher --pdqdih-across) on these exact pixels.
// "An implementation of the algorithm must reproduce every one of these bit for bit."
interface ExactRow {
  readonly file: string;
  readonly quality: number;
  readonly hashes: readonly string[]; // hash, rot90, rot180, rot270, flipx, flipy, flip_plus1, flip_minus1
}

function readExactRows(): ExactRow[] {
  const [header, ...lines] = readFileSync(join(vectorsDir(), 'pdq/ppm-exact.csv'), 'utf8').trim().split('\n');
  expect(header).toBe('file,quality,hash,rot90,rot180,rot270,flipx,flipy,flip_plus1,flip_minus1');
  return lines.map((line) => {
    const [file, quality, ...hashes] = line.split(',');
    return { file: file!, quality: Number(quality), hashes };
  });
}

function hashPpm(file: string): PdqResult {
  const parsed = parsePpm(readFileSync(join(vectorsDir(), 'pdq', file)));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`);
  return pdqFromPixels(parsed.value);
}

const allHashes = (r: PdqResult): string[] =>
  [
    r.hash,
    r.dihedral.rot90,
    r.dihedral.rot180,
    r.dihedral.rot270,
    r.dihedral.flipX,
    r.dihedral.flipY,
    r.dihedral.flipPlus1,
    r.dihedral.flipMinus1,
  ].map(pdqHashToHex);

describe.skipIf(!VECTORS_AVAILABLE)('PDQ against the reference C++ hasher (vectors/pdq/ppm-exact.csv)', () => {
  it('has every row of the vector file', () => {
    expect(readExactRows()).toHaveLength(24);
  });

  it('reproduces the quality and all 8 dihedral hashes bit for bit, for every row', () => {
    for (const row of readExactRows()) {
      const result = hashPpm(row.file);
      expect({ file: row.file, quality: result.quality, hashes: allHashes(result) }).toEqual({
        file: row.file,
        quality: row.quality,
        hashes: row.hashes,
      });
    }
  });

  // bridge-2…8 are bridge-1 rotated and flipped: each must match bridge-1 through the variant of the same name,
  // whichever side carries the dihedral hashes.
  const transformed: readonly [string, PdqVariant][] = [
    ['bridge-2-rotate-90', 'rot90'],
    ['bridge-3-rotate-180', 'rot180'],
    ['bridge-4-rotate-270', 'rot270'],
    ['bridge-5-flipx', 'flipX'],
    ['bridge-6-flipy', 'flipY'],
    ['bridge-7-flip-plus-1', 'flipPlus1'],
    ['bridge-8-flip-minus-1', 'flipMinus1'],
  ];

  it.each(transformed)('%s matches bridge-1 through its %s variant', (name, variant) => {
    const original = hashPpm('ppm/bridge-1-original.ppm');
    const query = hashPpm(`ppm/${name}.ppm`);
    expect(hammingDistance(query.hash, original.hash)).toBeGreaterThan(31);
    const viaRegistered = comparePdq(query, original);
    expect(viaRegistered).toMatchObject({ variant, matched: true, unreliable: false });
    expect(viaRegistered.distance).toBeLessThanOrEqual(31);
    const viaQuery = comparePdq(query, { hash: original.hash, quality: original.quality });
    expect(viaQuery).toMatchObject({ variant, matched: true, unreliable: false });
  });

  it('does not match unrelated photos, and never matches a low-quality image', () => {
    const bridge = hashPpm('ppm/bridge-1-original.ppm');
    const pen = hashPpm('ppm/pen-and-coaster.ppm');
    const unrelated = comparePdq(pen, bridge);
    expect(unrelated.matched).toBe(false);
    expect(unrelated.distance).toBeGreaterThan(64);
    const flat = hashPpm('ppm/q0003.ppm');
    expect(flat.quality).toBeLessThan(50);
    expect(comparePdq(flat, flat)).toEqual({ distance: 0, variant: 'original', matched: false, unreliable: true });
  });
});
