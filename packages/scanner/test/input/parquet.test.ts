import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecord, openInput, writeCleared } from '../../src/input/index.js';
import { readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const N = 10;
const rows = Array.from({ length: N }, (_, i) => ({
  id: BigInt(i),
  text: i === 4 ? null : `document ${i}`,
  url: `https://example.org/${i}`,
  image: new Uint8Array([0xff, 0xd8, 0xff, i]),
  score: i / 2,
}));

async function writeSample(path: string): Promise<void> {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => r.id), type: 'INT64' },
      { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
      { name: 'url', data: rows.map((r) => r.url), type: 'STRING' },
      { name: 'image', data: rows.map((r) => r.image), type: 'BYTE_ARRAY' },
      { name: 'score', data: rows.map((r) => r.score), type: 'DOUBLE' },
    ],
    rowGroupSize: 3,
  });
  await writeFile(path, new Uint8Array(buffer));
}

describe('Parquet input', () => {
  it('reads rows across row groups, decodes them, and writes the cleared rows back', async () => {
    const path = join(dir, 'train.parquet');
    await writeSample(path);
    const source = await openInput(path);
    expect(source.format).toBe('parquet');
    expect(source.columns).toEqual(['id', 'text', 'url', 'image', 'score']);
    const records = await readAll(source, { batchBytes: 1 });
    expect(records).toHaveLength(N);
    expect(records[2]!.record).toEqual({ t: 'row', value: rows[2] });
    const decoded = decodeRecord(records[2]!.record, {});
    expect(decoded).toEqual({
      ok: true,
      item: { id: '2', text: 'document 2', url: 'https://example.org/2', media: { bytes: rows[2]!.image } },
    });

    // skip lands in the middle of a row group
    const skipped = await readAll(source, { skip: 4 });
    expect(skipped.map((r) => r.index)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(skipped[0]!.record).toEqual({ t: 'row', value: rows[4] });

    const keep = (i: number): boolean => i % 3 !== 1;
    const out = await writeCleared(source, keep, join(dir, 'out'));
    expect(out.path).toBe(join(dir, 'out', 'cleared.parquet'));
    expect(out.records).toBe(rows.filter((_, i) => keep(i)).length);
    const back = await parquetReadObjects({ file: await asyncBufferFromFile(out.path), utf8: false });
    expect(back).toEqual(rows.filter((_, i) => keep(i)));
  });

  it('projects the columns asked for', async () => {
    const path = join(dir, 'train.parquet');
    await writeSample(path);
    const source = await openInput(path, { columns: ['text', 'id'] });
    const records = await readAll(source);
    expect(records[0]!.record).toEqual({ t: 'row', value: { id: 0n, text: 'document 0' } });
  });

  it('refuses a file whose footer cannot be read', async () => {
    await writeFile(join(dir, 'bad.parquet'), 'PAR1 this is not parquet PAR1');
    await expect(openInput(join(dir, 'bad.parquet'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
