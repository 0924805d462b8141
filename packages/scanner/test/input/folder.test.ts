import { mkdir, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRecord, openInput } from '../../src/input/index.js';
import { readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function tree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), data);
  }
}

describe('folder input', () => {
  it('walks regular files sorted by relative path, skipping hidden entries and symlinks', async () => {
    const root = join(dir, 'data');
    await tree(root, {
      'b.txt': 'b',
      'a-c.txt': 'ac',
      'a/b.txt': 'ab',
      'a/z/y.txt': 'azy',
      'a/.hidden.txt': 'no',
      '.git/config': 'no',
      'img.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
      'A.txt': 'upper',
    });
    await symlink(join(root, 'b.txt'), join(root, 'link.txt'));
    const source = await openInput(root);
    expect(source.format).toBe('folder');
    expect(source.diskBytes).toBe(1 + 2 + 2 + 3 + 6 + 5);
    const records = await readAll(source, { batchBytes: 1 });
    // 'a-c.txt' sorts before 'a/b.txt' ('-' < '/'), as the full paths do.
    expect(records.map((r) => (r.record.t === 'file' ? r.record.path : r.record.t))).toEqual([
      'A.txt',
      'a-c.txt',
      'a/b.txt',
      'a/z/y.txt',
      'b.txt',
      'img.jpg',
    ]);
    expect(decodeRecord(records[2]!.record, {})).toEqual({ ok: true, item: { id: 'a/b.txt', text: 'ab' } });
    expect(decodeRecord(records[5]!.record, {})).toMatchObject({
      ok: true,
      item: { id: 'img.jpg', media: { name: 'img.jpg' } },
    });
    const skipped = await readAll(source, { skip: 4 });
    expect(skipped.map((r) => r.index)).toEqual([4, 5]);
  });

  it('makes an unreadable file a bad record with its path as id', async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const root = join(dir, 'data');
    await tree(root, { 'a.txt': 'a', 'b.txt': 'b' });
    await chmod(join(root, 'a.txt'), 0o000);
    const records = await readAll(await openInput(root));
    expect(records[0]!.record).toMatchObject({ t: 'bad', id: 'a.txt' });
    expect(records[1]!.record).toMatchObject({ t: 'file', path: 'b.txt' });
  });
});
