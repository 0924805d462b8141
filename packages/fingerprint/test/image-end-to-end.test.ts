import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hammingDistance, pdqHashFromHex } from '@heoga/core';
import { VECTORS_AVAILABLE, vectorsDir } from '../../core/test/vectors.js';
import { fingerprintImage } from '../src/image/index.js';

// vectors/README.md, pdq/end-to-end.csv: the reference C++ hasher on the original files (ImageMagick decoding,
// 512 × 512 nearest-neighbour squash). Meta's conformance rule for an implementation's own decoding: for quality
// ≥ 80, within Hamming distance 10 of these hashes.
describe.skipIf(!VECTORS_AVAILABLE)(
  'fingerprintImage against the reference end to end (vectors/pdq/end-to-end.csv)',
  () => {
    it('is within 10 bits of the reference for every row with quality ≥ 80', async () => {
      const [header, ...lines] = readFileSync(join(vectorsDir(), 'pdq/end-to-end.csv'), 'utf8').trim().split('\n');
      expect(header).toBe('file,quality,hash');
      expect(lines).toHaveLength(24);
      const distances: Record<string, number> = {};
      for (const line of lines) {
        const [file = '', quality = '', hex = ''] = line.split(',');
        const ours = await fingerprintImage(readFileSync(join(vectorsDir(), 'pdq', file)));
        if (Number(quality) < 80) continue;
        distances[file] = hammingDistance(ours.pdq.hash, pdqHashFromHex(hex)!);
        expect(ours.pdq.quality, file).toBeGreaterThanOrEqual(80);
      }
      expect(Object.keys(distances)).toHaveLength(21);
      for (const [file, distance] of Object.entries(distances)) expect(distance, file).toBeLessThanOrEqual(10);
    });
  },
);
