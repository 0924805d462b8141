import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsvRecord, openInput, type InputSource } from '../../src/input/index.js';
import { makeTar, readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
const sources: Record<string, InputSource> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const n = 40;
  const texts = Array.from({ length: n }, (_, i) => `record ${i} ${'é'.repeat(i % 7)}`);
  const jsonl = texts.map((t, i) => (i % 9 === 4 ? '  \r\n' : '') + JSON.stringify({ text: t })).join('\n') + '\n';
  await writeFile(join(dir, 'a.jsonl.gz'), gzipSync(jsonl));
  await writeFile(
    join(dir, 'a.csv'),
    formatCsvRecord(['id', 'text'], ',') +
      texts
        .map((t, i) => (i % 5 === 2 ? `${i},"bad, width",x\n` : formatCsvRecord([String(i), `${t}\n"q"`], ',')))
        .join(''),
  );
  await writeFile(
    join(dir, 'a.urls'),
    texts.map((_, i) => (i % 6 === 0 ? '# c\n' : '') + `https://example.org/${i}`).join('\n'),
  );
  await writeFile(
    join(dir, 'a.tar'),
    await makeTar(
      texts.flatMap((t, i) => [{ name: `k${i}.txt`, data: t }, ...(i % 3 ? [] : [{ name: `k${i}.json`, data: '{}' }])]),
    ),
  );
  const buffer = parquetWriteBuffer({
    columnData: [{ name: 'text', data: texts, type: 'STRING' }],
    rowGroupSize: 7,
  });
  await writeFile(join(dir, 'a.parquet'), new Uint8Array(buffer));
  const folder = join(dir, 'folder');
  for (let i = 0; i < n; i++) {
    await mkdir(join(folder, `d${i % 4}`), { recursive: true });
    await writeFile(join(folder, `d${i % 4}`, `f${i}.txt`), texts[i]!);
  }
  for (const name of ['a.jsonl.gz', 'a.csv', 'a.urls', 'a.tar', 'a.parquet', 'folder']) {
    sources[name] = await openInput(join(dir, name));
  }
});
afterAll(async () => cleanup());

describe('skip', () => {
  for (const name of ['a.jsonl.gz', 'a.csv', 'a.urls', 'a.tar', 'a.parquet', 'folder']) {
    it(`yields exactly the records from N on (${name})`, async () => {
      const source = sources[name]!;
      const all = await readAll(source, { batchBytes: 1 << 20 });
      expect(all.length).toBeGreaterThanOrEqual(40);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: all.length + 2 }),
          fc.integer({ min: 1, max: 500 }),
          async (skip, batchBytes) => {
            const rest = await readAll(source, { skip, batchBytes });
            expect(rest).toEqual(all.slice(skip));
          },
        ),
        { numRuns: 15 },
      );
    });
  }
});
