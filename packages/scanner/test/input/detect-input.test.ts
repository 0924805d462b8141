import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectInput } from '../../src/input/index.js';
import { tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]);

describe('detectInput', () => {
  it('tells formats and compressions from names, checked by magic bytes', async () => {
    const cases: [string, Buffer, string, string][] = [
      ['a.jsonl', Buffer.from('{}\n'), 'jsonl', 'none'],
      ['a.NDJSON.gz', gzipSync('{}'), 'jsonl', 'gzip'],
      ['a.json.zst', ZSTD_MAGIC, 'jsonl', 'zstd'],
      ['a.csv', Buffer.from('a\n'), 'csv', 'none'],
      ['a.tsv.gz', gzipSync('a\n'), 'csv', 'gzip'],
      ['a.parquet', Buffer.from('PAR1'), 'parquet', 'none'],
      ['a.tar', Buffer.alloc(1024), 'webdataset', 'none'],
      ['a.tgz', gzipSync(Buffer.alloc(1024)), 'webdataset', 'gzip'],
      ['list.urls', Buffer.from('https://x/\n'), 'urls', 'none'],
      ['urls.txt', Buffer.from('https://x/\n'), 'urls', 'none'],
    ];
    for (const [name, data, format, compression] of cases) {
      await writeFile(join(dir, name), data);
      expect(await detectInput(join(dir, name)), name).toEqual({ format, compression });
    }
    await mkdir(join(dir, 'folder'));
    expect(await detectInput(join(dir, 'folder'))).toEqual({ format: 'folder', compression: 'none' });
  });

  it('reads other .txt files as URL lists only with --format urls', async () => {
    await writeFile(join(dir, 'list.txt'), 'https://x/\n');
    await expect(detectInput(join(dir, 'list.txt'))).rejects.toMatchObject({ code: 'INPUT_FORMAT_UNKNOWN' });
    expect(await detectInput(join(dir, 'list.txt'), 'urls')).toEqual({ format: 'urls', compression: 'none' });
  });

  it('refuses unknown names with a hint to pass --format', async () => {
    await writeFile(join(dir, 'data.bin'), 'x');
    await expect(detectInput(join(dir, 'data.bin'))).rejects.toMatchObject({
      code: 'INPUT_FORMAT_UNKNOWN',
      message: expect.stringContaining('--format') as string,
    });
    expect(await detectInput(join(dir, 'data.bin'), 'jsonl')).toEqual({ format: 'jsonl', compression: 'none' });
  });

  it('refuses a compression that the bytes do not have', async () => {
    await writeFile(join(dir, 'fake.jsonl.gz'), '{"not":"gzip"}\n');
    await expect(detectInput(join(dir, 'fake.jsonl.gz'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await writeFile(join(dir, 'hidden.jsonl'), gzipSync('{}\n'));
    await expect(detectInput(join(dir, 'hidden.jsonl'))).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      message: expect.stringContaining('gzip') as string,
    });
    await writeFile(join(dir, 'z.jsonl.zst'), gzipSync('{}\n'));
    await expect(detectInput(join(dir, 'z.jsonl.zst'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('refuses a missing path, and a folder or file of the wrong kind', async () => {
    await expect(detectInput(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await mkdir(join(dir, 'd'));
    await expect(detectInput(join(dir, 'd'), 'jsonl')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    await writeFile(join(dir, 'f.jsonl'), '{}');
    await expect(detectInput(join(dir, 'f.jsonl'), 'folder')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
