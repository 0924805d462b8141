import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../src/errors.js';
import { KeyColumns, KeyTable } from '../../src/snapshot/key-table.js';
import { openSnapshot } from '../../src/snapshot/open-snapshot.js';
import { SnapshotIndex } from '../../src/snapshot/snapshot-index.js';
import { writeSnapshot } from '../../src/snapshot/write-snapshot.js';
import { proseText, tempDir, testKey, textWork } from '../support.js';

const temp = tempDir('heoga-snapshot-');
afterAll(() => temp.remove());

const key = testKey();
const works = [
  textWork(
    'w-1',
    proseText(1),
    { 'ai-train': { kind: 'deny' } },
    {
      identifiers: [
        { scheme: 'isbn', value: '9788937460449' },
        { scheme: 'url-prefix', value: 'https://books.example/w1/' },
      ],
    },
  ),
  textWork('w-2', proseText(2), { 'ai-train': { kind: 'allow' } }, { disputed: true, disputedWith: ['w-3'] }),
  textWork('w-3', proseText(3), { 'ai-train': { kind: 'deny' } }, { disputed: true, disputedWith: ['w-2'] }),
];

async function written(name: string) {
  const path = join(temp.dir, name);
  const result = await writeSnapshot(works, path, {
    ...key,
    registry: { name: 'test', url: 'https://registry.test' },
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
  return { path, result };
}

function expectScanError(run: () => unknown, code: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScanError);
    expect((error as ScanError).code).toBe(code);
    return;
  }
  throw new Error(`expected ScanError ${code}`);
}

describe('index snapshot', () => {
  it('writes, verifies and reads back every work, statement and dispute', async () => {
    const { path, result } = await written('round-trip.heoga');
    const loaded = openSnapshot(path, { trustedKey: key.verifierKey });
    expect(loaded.id).toBe(result.id);
    expect(loaded.manifest.counts.works).toBe(3);
    expect(loaded.manifest.counts.disputedWorks).toBe(2);
    expect(loaded.manifest.counts.minhashSignatures).toBe(3);
    expect(loaded.manifest.counts.winnowSets).toBe(3);
    const index = SnapshotIndex.attach(loaded);
    try {
      for (const [i, work] of works.entries()) {
        const entry = index.work(i);
        expect(entry.info.id).toBe(work.id);
        expect(entry.info.title).toEqual({ lang: 'en', title: `Title of ${work.id}` });
        expect(entry.info.holders).toEqual(work.holders);
        expect(entry.statements).toEqual(
          work.statements.map((s) => ({ ...s, source: { kind: 'registry', registry: 'test', workId: work.id } })),
        );
        expect(index.findWork(work.id)).toBe(i);
      }
      expect(index.findWork('nobody')).toBeUndefined();
      expect(index.disputedWith(1)).toEqual([2]);
      expect(index.disputedWith(2)).toEqual([1]);
      expect(index.disputedWith(0)).toEqual([]);
      expect(index.winnow(0).positions.length).toBeGreaterThan(100);
    } finally {
      index.close();
    }
  });

  it('is deterministic: the same works at the same time give the same snapshot id', async () => {
    const a = await written('a.heoga');
    const b = await written('b.heoga');
    expect(a.result.id).toBe(b.result.id);
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
  });

  it('refuses a snapshot signed by another key than the trusted one', async () => {
    const { path } = await written('untrusted.heoga');
    expectScanError(
      () => openSnapshot(path, { trustedKey: testKey('other.test/log', 9).verifierKey }),
      'SNAPSHOT_UNTRUSTED',
    );
  });

  it('refuses a file that is not a snapshot, and a missing one', () => {
    const path = join(temp.dir, 'not-a-snapshot.heoga');
    writeFileSync(path, 'hello, this is not a snapshot at all');
    expectScanError(() => openSnapshot(path), 'SNAPSHOT_INVALID');
    expectScanError(() => openSnapshot(join(temp.dir, 'missing.heoga')), 'INPUT_UNREADABLE');
  });

  it('refuses any single changed byte, anywhere in the file, as tampered or invalid', async () => {
    const { path } = await written('tamper.heoga');
    const original = readFileSync(path);
    const size = statSync(path).size;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const copy = Buffer.from(original);
        copy[at] = copy[at]! ^ flip;
        const target = join(temp.dir, 'tampered.heoga');
        writeFileSync(target, copy);
        try {
          openSnapshot(target);
        } catch (error) {
          expect(error).toBeInstanceOf(ScanError);
          expect(['SNAPSHOT_TAMPERED', 'SNAPSHOT_INVALID']).toContain((error as ScanError).code);
          return;
        }
        // Padding between sections is covered by no checksum: a change there changes nothing that is read.
        expect(isPadding(original, at)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a truncated snapshot', async () => {
    const { path } = await written('truncated.heoga');
    const bytes = readFileSync(path);
    for (const keep of [10, 100, bytes.length >> 1, bytes.length - 1]) {
      const target = join(temp.dir, `truncated-${keep}.heoga`);
      const fd = openSync(target, 'w');
      writeSync(fd, bytes.subarray(0, keep));
      closeSync(fd);
      expect(() => openSnapshot(target)).toThrow(ScanError);
    }
  });
});

/** Whether byte `at` is zero padding after the header or a section (not covered by any checksum). */
function isPadding(file: Buffer, at: number): boolean {
  const manifestLength = file.readUInt32LE(8);
  const manifest = JSON.parse(file.subarray(12, 12 + manifestLength).toString('utf8')) as {
    sections: { offset: number; length: number }[];
  };
  const noteLength = file.readUInt32LE(12 + manifestLength);
  const headEnd = 16 + manifestLength + noteLength;
  const dataStart = Math.ceil(headEnd / 8) * 8;
  if (at >= headEnd && at < dataStart) return true;
  return (
    manifest.sections.every((s) => at < dataStart + s.offset || at >= dataStart + s.offset + s.length) &&
    at >= dataStart
  );
}

describe('KeyTable', () => {
  it('finds exactly the payloads of each key, after a byte round trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 3 }), fc.nat({ max: 1000 })), { maxLength: 400 }),
        fc.boolean(),
        (entries, spread) => {
          const columns = new KeyColumns();
          // Keys spread over the top bits, or crowded into one bucket.
          const hiOf = (k: number) => (spread ? Math.imul(k, 0x9e3779b1) >>> 0 : k);
          for (const [k, l, p] of entries) columns.push(hiOf(k), l, p);
          const copy = new Uint8Array(KeyTable.build(columns).toBytes());
          const table = KeyTable.fromBytes(copy);
          expect(table.size).toBe(entries.length);
          for (let k = 0; k <= 40; k++)
            for (let l = 0; l <= 3; l++) {
              const found: number[] = [];
              table.find(hiOf(k), l, (p) => found.push(p));
              const expected = entries
                .filter(([a, b]) => a === k && b === l)
                .map(([, , p]) => p)
                .sort((x, y) => x - y);
              expect(found).toEqual(expected);
            }
        },
      ),
    );
  });

  it('rejects malformed bytes with SNAPSHOT_INVALID, never a RangeError', () => {
    const columns = new KeyColumns();
    for (let i = 0; i < 100; i++) columns.push(i * 7919, i, i);
    const bytes = KeyTable.build(columns).toBytes();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bytes.length / 4 - 1 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        (word, xor) => {
          const copy = new Uint8Array(bytes);
          const words = new Uint32Array(copy.buffer);
          words[word] = (words[word]! ^ xor) >>> 0;
          try {
            const table = KeyTable.fromBytes(copy, 99);
            // A change inside the key columns is a well-formed (if different) table: lookups stay in bounds.
            for (let i = 0; i < 100; i++) table.find(i * 7919, i, () => undefined);
          } catch (error) {
            expect(error).toBeInstanceOf(ScanError);
          }
        },
      ),
    );
    expectScanError(() => KeyTable.fromBytes(bytes.subarray(0, 8)), 'SNAPSHOT_INVALID');
  });
});
