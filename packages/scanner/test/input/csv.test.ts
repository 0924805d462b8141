import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvParser, formatCsvRecord, openInput } from '../../src/input/index.js';
import type { CsvRecordEvent } from '../../src/input/index.js';
import { cutAt, readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

function parse(chunks: readonly Buffer[], delimiter: ',' | '\t' = ','): CsvRecordEvent[] {
  const out: CsvRecordEvent[] = [];
  const parser = new CsvParser(delimiter, (r) => out.push(r));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

const fieldArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ',', '"', '""', '\n', '\r\n', '\r', 'a,b', ' x ', '\t', '\uFEFFbom', '한국어', '🙂'),
  fc.array(fc.constantFrom('a', ',', '"', '\n', '\r', '\t', ' ', 'é'), { maxLength: 8 }).map((a) => a.join('')),
);

describe('CSV parse and write', () => {
  it('parse(write(rows)) = rows under any chunking and content', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((n) => fc.array(fc.array(fieldArb, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 })),
        fc.constantFrom<',' | '\t'>(',', '\t'),
        fc.boolean(),
        fc.array(fc.nat({ max: 300 }), { maxLength: 12 }),
        (rows, delimiter, bom, cuts) => {
          const text = (bom ? '\uFEFF' : '') + rows.map((r) => formatCsvRecord(r, delimiter)).join('');
          const events = parse(cutAt(Buffer.from(text), cuts), delimiter);
          expect(events).toEqual(rows.map((fields) => ({ ok: true, fields })));
        },
      ),
    );
  });

  it('reads RFC 4180 quoting, CRLF, a BOM cut across chunks, and lone CRs as data', () => {
    const text = '\uFEFFa,b\r\n"x, ""y""","multi\r\nline"\r\n\r\nlone\rcr,"q"after\n';
    const bytes = Buffer.from(text);
    for (const cuts of [[], [1], [2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]) {
      expect(parse(cutAt(bytes, cuts))).toEqual([
        { ok: true, fields: ['a', 'b'] },
        { ok: true, fields: ['x, "y"', 'multi\r\nline'] },
        { ok: true, fields: ['lone\rcr', 'qafter'] },
      ]);
    }
  });

  it('makes an unterminated quote at the end a bad record', () => {
    expect(parse([Buffer.from('a\n"open\nstill')])).toEqual([
      { ok: true, fields: ['a'] },
      { ok: false, reason: expect.stringMatching(/unterminated/) as string },
    ]);
  });

  it('makes a field that is not UTF-8 a bad record', () => {
    expect(parse([Buffer.from([0x61, 0x2c, 0xff, 0x0a, 0x62, 0x0a])])).toEqual([
      { ok: false, reason: expect.stringMatching(/UTF-8/) as string },
      { ok: true, fields: ['b'] },
    ]);
  });

  it('makes an oversized record bad and goes on', () => {
    const out: CsvRecordEvent[] = [];
    const p = new CsvParser(
      ',',
      (r) => out.push(r),
      () => true,
      10,
    );
    p.push(Buffer.from('a,b\n"0123456789abcdef,\n",x\nc,d\n'));
    p.end();
    expect(out.map((r) => r.ok)).toEqual([true, false, true]);
  });
});

describe('CSV input', () => {
  it('reads the header as columns and flags records of another width', async () => {
    await writeFile(join(dir, 'a.csv'), 'id,text\n1,hello\n2,"a, b"\n3\n4,x,y\n\n5,"multi\nline"');
    const source = await openInput(join(dir, 'a.csv'));
    expect(source.columns).toEqual(['id', 'text']);
    const records = await readAll(source, { batchBytes: 1 });
    expect(records.map((r) => r.record)).toEqual([
      { t: 'csv', fields: ['1', 'hello'] },
      { t: 'csv', fields: ['2', 'a, b'] },
      { t: 'bad', reason: 'the record has 1 fields; the header has 2' },
      { t: 'bad', reason: 'the record has 3 fields; the header has 2' },
      { t: 'csv', fields: ['5', 'multi\nline'] },
    ]);
  });

  it('reads a .tsv.gz with tabs', async () => {
    await writeFile(join(dir, 'a.tsv.gz'), gzipSync('id\ttext\n1\thello, world\n'));
    const source = await openInput(join(dir, 'a.tsv.gz'));
    expect(source.columns).toEqual(['id', 'text']);
    expect((await readAll(source)).map((r) => r.record)).toEqual([{ t: 'csv', fields: ['1', 'hello, world'] }]);
  });

  it('gives complete records of a truncated gzip CSV, then one bad record', async () => {
    const body =
      'id,text\n' + Array.from({ length: 3000 }, (_, i) => `${i},"row ${i}, ${'z'.repeat(i % 40)}"`).join('\n');
    const gz = gzipSync(body);
    await writeFile(join(dir, 't.csv.gz'), gz.subarray(0, Math.floor(gz.length * 0.7)));
    const records = await readAll(await openInput(join(dir, 't.csv.gz')));
    expect(records.at(-1)!.record).toMatchObject({ t: 'bad', reason: expect.stringMatching(/truncated/) as string });
    const good = records.slice(0, -1);
    expect(good.length).toBeGreaterThan(100);
    good.forEach((r, i) =>
      expect(r.record).toEqual({ t: 'csv', fields: [String(i), `row ${i}, ${'z'.repeat(i % 40)}`] }),
    );
  });

  it('reads an empty file as no columns and no records', async () => {
    await writeFile(join(dir, 'e.csv'), '');
    const source = await openInput(join(dir, 'e.csv'));
    expect(source.columns).toEqual([]);
    expect(await readAll(source)).toEqual([]);
  });
});
