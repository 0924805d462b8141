import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineSplitter, openInput } from '../../src/input/index.js';
import { cutAt, jsonText, readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** The naive reference: split on \n, drop one trailing \r, drop whitespace-only lines. */
const naive = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => !/^[ \t\r]*$/.test(l));

const lineArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replaceAll('\n', ' ')),
  fc.constantFrom('', ' ', '\t', '\r', '{"a":1}', '  {"b":"x"}  ', '\r\r'),
);
const terminatorArb = fc.constantFrom('\n', '\r\n');

describe('LineSplitter', () => {
  it('equals a naive split under any chunk boundaries and CRLF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineArb, terminatorArb), { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 10 }),
        (lines, finalNewline, cuts) => {
          let text = lines.map(([l, t]) => l + t).join('');
          if (!finalNewline && text.endsWith('\n')) text = text.slice(0, -1);
          const bytes = Buffer.from(text);
          const got: string[] = [];
          const splitter = new LineSplitter(
            (buf, start, end) => {
              let e = end;
              if (e > start && buf[e - 1] === 13) e--;
              const line = buf.toString('utf8', start, e);
              if (!/^[ \t\r]*$/.test(line)) got.push(line);
            },
            () => got.push('(too long)'),
          );
          for (const chunk of cutAt(bytes, cuts)) splitter.push(chunk);
          splitter.end();
          expect(got).toEqual(naive(text));
        },
      ),
    );
  });

  it('reports a line over the limit once, without holding it', () => {
    const got: string[] = [];
    const s = new LineSplitter(
      (buf, a, b) => got.push(buf.toString('utf8', a, b)),
      () => got.push('(too long)'),
      8,
    );
    s.push(Buffer.from('short\n0123'));
    s.push(Buffer.from('456789abc'));
    s.push(Buffer.from('def\nok\n0123456789\nend'));
    s.end();
    expect(got).toEqual(['short', '(too long)', 'ok', '(too long)', 'end']);
  });
});

describe('JSON Lines input', () => {
  const text = '{"text":"a"}\n\n{"text":"b"}\r\n  \t\n{"url":"https://example.org/"}\n"just text"';
  const expected = ['{"text":"a"}', '{"text":"b"}', '{"url":"https://example.org/"}', '"just text"'];

  it('reads plain, gzip, multi-member gzip and zstd files alike', async () => {
    const plain = join(dir, 'a.jsonl');
    await writeFile(plain, text);
    await writeFile(join(dir, 'a.jsonl.gz'), gzipSync(text));
    const half = text.indexOf('\r\n') + 2;
    await writeFile(
      join(dir, 'm.ndjson.gz'),
      Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]),
    );
    execFileSync('zstd', ['-q', '-f', plain, '-o', join(dir, 'a.jsonl.zst')]);
    for (const name of ['a.jsonl', 'a.jsonl.gz', 'm.ndjson.gz', 'a.jsonl.zst']) {
      const source = await openInput(join(dir, name));
      expect(source.format).toBe('jsonl');
      const records = await readAll(source, { batchBytes: 10 });
      expect(records.map((r) => jsonText(r.record))).toEqual(expected);
      expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    }
  });

  it('reads a zstd file of several frames', async () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    await writeFile(a, '{"n":1}\n');
    await writeFile(b, '{"n":2}\n');
    const za = execFileSync('zstd', ['-q', '-c', a]);
    const zb = execFileSync('zstd', ['-q', '-c', b]);
    await writeFile(join(dir, 'x.jsonl.zst'), Buffer.concat([za, zb]));
    const records = await readAll(await openInput(join(dir, 'x.jsonl.zst')));
    expect(records.map((r) => jsonText(r.record))).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('delivers the complete lines of a truncated gzip file, then one bad record', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ id: i, text: `line ${i} ${'x'.repeat(i % 50)}` }),
    );
    const gz = gzipSync(lines.join('\n') + '\n');
    await writeFile(join(dir, 't.jsonl.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const records = await readAll(await openInput(join(dir, 't.jsonl.gz')));
    const bad = records.filter((r) => r.record.t === 'bad');
    expect(bad).toHaveLength(1);
    expect(records.at(-1)!.record.t).toBe('bad');
    const good = records.slice(0, -1).map((r) => jsonText(r.record));
    expect(good.length).toBeGreaterThan(100);
    expect(good).toEqual(lines.slice(0, good.length));
    const last = records.at(-1)!.record;
    expect(last.t === 'bad' && last.reason).toMatch(/truncated/);
  });

  it('gives just the bad record when a truncated stream ends on a line boundary', async () => {
    const gz = gzipSync('{"a":1}\n');
    await writeFile(join(dir, 't.jsonl.gz'), gz.subarray(0, gz.length - 4)); // the trailer (ISIZE) cut
    const records = await readAll(await openInput(join(dir, 't.jsonl.gz')));
    expect(records.map((r) => r.record.t)).toEqual(['json', 'bad']);
  });

  it('delivers complete lines of a truncated zstd file, then one bad record', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: i, r: Math.sin(i) }));
    const plain = join(dir, 'big.jsonl');
    await writeFile(plain, lines.join('\n') + '\n');
    const z = execFileSync('zstd', ['-q', '-c', '-B64KB', plain]);
    await writeFile(join(dir, 't.jsonl.zst'), z.subarray(0, Math.floor(z.length / 2)));
    const records = await readAll(await openInput(join(dir, 't.jsonl.zst')));
    expect(records.at(-1)!.record.t).toBe('bad');
    const good = records.slice(0, -1).map((r) => jsonText(r.record));
    expect(good).toEqual(lines.slice(0, good.length));
  });

  it('counts bytes read: uncompressed delimited bytes, and disk bytes', async () => {
    const body = Array.from({ length: 100 }, (_, i) => `{"i":${i}}`).join('\n') + '\n';
    await writeFile(join(dir, 'c.jsonl.gz'), gzipSync(body));
    const source = await openInput(join(dir, 'c.jsonl.gz'));
    let last = { bytesRead: 0, diskBytesRead: 0 };
    for await (const b of source.batches({ batchBytes: 50 })) {
      expect(b.bytesRead).toBeGreaterThanOrEqual(last.bytesRead);
      last = b;
    }
    expect(last.bytesRead).toBe(Buffer.byteLength(body));
    expect(last.diskBytesRead).toBe(source.diskBytes);
  });

  it('copies lines into slabs of their own, never views of the read chunks, and they stay intact', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 300) }));
    await writeFile(join(dir, 'o.jsonl'), `${lines.join('\n')}\n`);
    const records = await readAll(await openInput(join(dir, 'o.jsonl')));
    const buffers = new Set<ArrayBufferLike>();
    records.forEach(({ record }, i) => {
      if (record.t !== 'json') throw new Error('expected a JSON line');
      // A slab is 1 MiB; a line longer than a quarter of it gets a buffer of its own.
      expect([1 << 20, record.bytes.byteLength]).toContain(record.bytes.buffer.byteLength);
      expect(new TextDecoder().decode(record.bytes)).toBe(lines[i]);
      buffers.add(record.bytes.buffer);
    });
    expect(buffers.size).toBeLessThan(10);
  });

  it('stops with the signal reason when aborted', async () => {
    await writeFile(join(dir, 'a.jsonl'), '{"a":1}\n'.repeat(1000));
    const controller = new AbortController();
    controller.abort();
    const source = await openInput(join(dir, 'a.jsonl'));
    await expect(readAll(source, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
