import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress } from 'fzstd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInput, writeCleared } from '../../src/input/index.js';
import { jsonText, makeTar, readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const odd = (i: number): boolean => i % 2 === 1;
const lines = ['{"id":0,"text":"zero"}', '{"id":1,"text":"one"}', 'not json', '{"id":3,"text":"three"}', '"four"'];

describe('writeCleared', () => {
  it('writes kept JSON lines, same bytes, same compression; the input hash is of the disk bytes', async () => {
    const body = lines.join('\r\n') + '\n';
    const variants: [string, Buffer, (b: Buffer) => Buffer][] = [
      ['in.jsonl', Buffer.from(body), (b) => b],
      ['in.jsonl.gz', gzipSync(body), (b) => gunzipSync(b)],
    ];
    for (const [name, data, unpack] of variants) {
      await writeFile(join(dir, name), data);
      const source = await openInput(join(dir, name));
      const out = await writeCleared(source, odd, join(dir, `out-${name}`));
      expect(out.path.endsWith(name.replace('in', 'cleared'))).toBe(true);
      const written = await readFile(out.path);
      expect(unpack(written).toString()).toBe(`${lines[1]}\n${lines[3]}\n`);
      expect(out.records).toBe(2);
      expect(out.bytes).toBe(written.length);
      expect(out.sha256).toBe(sha(written));
      expect(out.inputSha256).toBe(sha(data));
    }
  });

  it('writes a zstd input as a valid .zst (stored blocks on Node 20) that zstd and fzstd read', async () => {
    const plain = join(dir, 'p.jsonl');
    const big = Array.from({ length: 20000 }, (_, i) => `{"i":${i}}`);
    await writeFile(plain, big.join('\n') + '\n');
    execFileSync('zstd', ['-q', '-f', plain, '-o', join(dir, 'in.jsonl.zst')]);
    const source = await openInput(join(dir, 'in.jsonl.zst'));
    const out = await writeCleared(source, (i) => i !== 5, join(dir, 'out'));
    expect(out.path).toBe(join(dir, 'out', 'cleared.jsonl.zst'));
    const expected = big.filter((_, i) => i !== 5).join('\n') + '\n';
    expect(Buffer.from(decompress(await readFile(out.path))).toString()).toBe(expected);
    expect(execFileSync('zstd', ['-q', '-d', '-c', out.path]).toString()).toBe(expected);
    // And it reads back through openInput.
    expect((await readAll(await openInput(out.path))).length).toBe(big.length - 1);
  });

  it('never writes bad records, even when keep says so', async () => {
    const gz = gzipSync(lines.join('\n') + '\n');
    await writeFile(join(dir, 't.jsonl.gz'), gz.subarray(0, gz.length - 10));
    const source = await openInput(join(dir, 't.jsonl.gz'));
    const all = await readAll(source);
    expect(all.at(-1)!.record.t).toBe('bad');
    const out = await writeCleared(source, () => true, join(dir, 'out'));
    const written = gunzipSync(await readFile(out.path)).toString();
    expect(written).not.toContain('(bad');
    expect(out.records).toBe(all.filter((r) => r.record.t === 'json').length);
  });

  it('writes CSV: the header and the kept records, quoted where needed', async () => {
    await writeFile(
      join(dir, 'in.csv'),
      '\uFEFFid,text\r\n0,"a, b"\r\n1,"say ""hi"""\r\n2,plain\r\n3,"multi\nline"\r\n',
    );
    const source = await openInput(join(dir, 'in.csv'));
    const out = await writeCleared(source, odd, join(dir, 'out'));
    expect(await readFile(out.path, 'utf8')).toBe('id,text\n1,"say ""hi"""\n3,"multi\nline"\n');
    const back = await openInput(out.path);
    expect((await readAll(back)).map((r) => r.record)).toEqual([
      { t: 'csv', fields: ['1', 'say "hi"'] },
      { t: 'csv', fields: ['3', 'multi\nline'] },
    ]);
  });

  it('writes a WebDataset tar with the kept samples members, same names and order', async () => {
    const tar = await makeTar([
      { name: 's/0.JPG', data: 'j0' },
      { name: 's/0.txt', data: 't0' },
      { name: 's/1.jpg', data: 'j1' },
      { name: 's/1.txt', data: 't1' },
      { name: 's/2.txt', data: 't2' },
      { name: 's/3.json', data: '{}' },
      { name: 's/3.txt', data: 't3' },
    ]);
    await writeFile(join(dir, 'in.tar'), tar);
    const source = await openInput(join(dir, 'in.tar'));
    const out = await writeCleared(source, (i) => i === 0 || i === 3, join(dir, 'out'));
    expect(out.records).toBe(2);
    const names: string[] = [];
    const { extract } = await import('tar-stream');
    const ex = extract();
    const done = (async () => {
      for await (const entry of ex) {
        names.push(entry.header.name);
        entry.resume();
      }
    })();
    ex.end(await readFile(out.path));
    await done;
    expect(names).toEqual(['s/0.JPG', 's/0.txt', 's/3.json', 's/3.txt']);
  });

  it('writes a folder as cleared/ with the kept files at the same paths, and reruns idempotently', async () => {
    const root = join(dir, 'data');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'a.txt'), 'a');
    await writeFile(join(root, 'sub', 'b.txt'), 'b');
    await writeFile(join(root, 'sub', 'c.txt'), 'c');
    const source = await openInput(root);
    const keep = (i: number): boolean => i !== 1;
    const out = await writeCleared(source, keep, join(dir, 'out'));
    const again = await writeCleared(source, keep, join(dir, 'out'));
    expect(again).toEqual(out);
    expect(out.path).toBe(join(dir, 'out', 'cleared'));
    expect(await readdir(out.path, { recursive: true })).toEqual(expect.arrayContaining(['a.txt', 'sub', 'sub/c.txt']));
    expect((await readdir(join(out.path, 'sub'))).sort()).toEqual(['c.txt']);
    expect(out.records).toBe(2);
    expect(out.bytes).toBe(2);
    const lines = (names: string[]): string =>
      names.map((n) => `${n}\0${sha(n.endsWith('a.txt') ? 'a' : n.endsWith('b.txt') ? 'b' : 'c')}\n`).join('');
    expect(out.inputSha256).toBe(sha(lines(['a.txt', 'sub/b.txt', 'sub/c.txt'])));
    expect(out.sha256).toBe(sha(lines(['a.txt', 'sub/c.txt'])));
    expect((await readdir(join(dir, 'out'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('writes a URL list', async () => {
    await writeFile(join(dir, 'in.urls'), '# list\nhttps://a/\nhttps://b/\n\nhttps://c/\n');
    const out = await writeCleared(await openInput(join(dir, 'in.urls')), (i) => i !== 1, join(dir, 'out'));
    expect(await readFile(out.path, 'utf8')).toBe('https://a/\nhttps://c/\n');
    expect((await stat(out.path)).size).toBe(out.bytes);
  });

  it('replaces an earlier cleared file on a rerun and leaves no temporary file', async () => {
    await writeFile(join(dir, 'in.jsonl'), lines.join('\n'));
    const source = await openInput(join(dir, 'in.jsonl'));
    await writeCleared(source, () => true, join(dir, 'out'));
    const out = await writeCleared(source, (i) => i === 0, join(dir, 'out'));
    expect(await readFile(out.path, 'utf8')).toBe(`${lines[0]}\n`);
    expect(await readdir(join(dir, 'out'))).toEqual(['cleared.jsonl']);
    expect(jsonText((await readAll(await openInput(out.path)))[0]!.record)).toBe(lines[0]);
  });

  it('fails with OUTPUT_UNWRITABLE when the output folder cannot be made', async () => {
    await writeFile(join(dir, 'in.jsonl'), lines.join('\n'));
    await writeFile(join(dir, 'file'), 'x');
    await expect(
      writeCleared(await openInput(join(dir, 'in.jsonl')), () => true, join(dir, 'file', 'out')),
    ).rejects.toMatchObject({
      code: 'OUTPUT_UNWRITABLE',
    });
  });
});
