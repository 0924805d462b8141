import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInput, splitMemberName, writeCleared } from '../../src/input/index.js';
import { ScanError } from '../../src/errors.js';
import { makeTar, readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const sampleArb = fc.record({
  key: fc
    .stringMatching(/^[a-z0-9_/-]{1,12}$/)
    .filter((k) => !k.endsWith('/') && !k.includes('//') && !k.split('/').some((p) => p === '' || p.startsWith('.'))),
  members: fc
    .uniqueArray(fc.constantFrom('jpg', 'txt', 'json', 'cls', 'seg.png', 'mp3'), { minLength: 1, maxLength: 4 })
    .chain((exts) => fc.tuple(...exts.map((ext) => fc.tuple(fc.constant(ext), fc.uint8Array({ maxLength: 700 }))))),
});

describe('WebDataset tar', () => {
  it('splits member names by the WebDataset convention', () => {
    expect(splitMemberName('shard/000123.Seg.PNG')).toEqual({ key: 'shard/000123', ext: 'seg.png' });
    expect(splitMemberName('a.b/c.jpg')).toEqual({ key: 'a.b/c', ext: 'jpg' });
    expect(splitMemberName('noext')).toEqual({ key: 'noext', ext: '' });
    expect(splitMemberName('dir/._hidden.jpg')).toBeUndefined();
  });

  it('round-trips samples: write a tar, read it, write the cleared tar, read it back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sampleArb, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (samples0, keeps) => {
          // Consecutive samples must have distinct keys, or they would be one sample.
          const samples = samples0.filter((s, i) => i === 0 || s.key !== samples0[i - 1]!.key);
          const tar = await makeTar(
            samples.flatMap((s) => s.members.map(([ext, data]) => ({ name: `${s.key}.${ext}`, data }))),
          );
          const path = join(dir, 'in.tar');
          await writeFile(path, tar);
          const source = await openInput(path);
          const records = await readAll(source, { batchBytes: 100 });
          const expected = samples.map((s) => ({
            t: 'sample',
            key: s.key,
            members: Object.fromEntries(s.members.map(([ext, data]) => [ext, new Uint8Array(data)])),
          }));
          expect(
            records.map((r) => ({
              ...r.record,
              ...(r.record.t === 'sample' ? { members: { ...r.record.members } } : {}),
            })),
          ).toEqual(expected);
          const out = await writeCleared(source, (i) => keeps[i] ?? false, join(dir, 'out'));
          const cleared = await readAll(await openInput(out.path));
          expect(cleared.map((r) => (r.record.t === 'sample' ? r.record.key : r.record.t))).toEqual(
            samples.filter((_, i) => keeps[i]).map((s) => s.key),
          );
          expect(out.records).toBe(samples.filter((_, i) => keeps[i]).length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('skips directories and hidden members, and starts a new sample on a repeated extension', async () => {
    const tar = await makeTar([
      { name: 'd/', data: '', type: 'directory' },
      { name: 'd/1.jpg', data: 'a' },
      { name: 'd/._1.jpg', data: 'junk' },
      { name: 'd/1.txt', data: 't' },
      { name: 'd/1.txt', data: 'again' },
    ]);
    await writeFile(join(dir, 'a.tar'), tar);
    const records = await readAll(await openInput(join(dir, 'a.tar')));
    expect(
      records.map((r) => (r.record.t === 'sample' ? [r.record.key, Object.keys(r.record.members)] : r.record.t)),
    ).toEqual([
      ['d/1', ['jpg', 'txt']],
      ['d/1', ['txt']],
    ]);
  });

  it('gives complete samples of a truncated tar, then a bad record with the cut sample key', async () => {
    const tar = await makeTar([
      { name: 'a.jpg', data: 'x'.repeat(600) },
      { name: 'a.txt', data: 'cap a' },
      { name: 'b.jpg', data: 'y'.repeat(2000) },
      { name: 'b.txt', data: 'cap b' },
    ]);
    // Cut inside b.jpg's data: a is complete, b is not.
    await writeFile(join(dir, 't.tar'), tar.subarray(0, 512 + 1024 + 512 + 512 + 512 + 700));
    const records = await readAll(await openInput(join(dir, 't.tar')));
    expect(records.map((r) => r.record.t)).toEqual(['sample', 'bad']);
    expect(records[1]!.record).toMatchObject({
      t: 'bad',
      id: 'b',
      reason: expect.stringMatching(/truncated/) as string,
    });
  });

  it('reads a truncated .tar.gz the same way', async () => {
    const tar = await makeTar(
      Array.from({ length: 50 }, (_, i) => ({
        name: `s${String(i).padStart(3, '0')}.bin`,
        data: Buffer.alloc(3000, i),
      })),
    );
    const gz = gzipSync(tar);
    await writeFile(join(dir, 't.tar.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const source = await openInput(join(dir, 't.tar.gz'));
    expect(source.compression).toBe('gzip');
    const records = await readAll(source);
    expect(records.at(-1)!.record.t).toBe('bad');
    expect(records.slice(0, -1).every((r) => r.record.t === 'sample')).toBe(true);
  });

  it('refuses bytes that are not a tar', async () => {
    await writeFile(join(dir, 'n.tar'), Buffer.alloc(2048, 0x41));
    await expect(openInput(join(dir, 'n.tar'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await writeFile(join(dir, 's.tar'), 'short');
    await expect(openInput(join(dir, 's.tar'))).rejects.toBeInstanceOf(ScanError);
  });
});
