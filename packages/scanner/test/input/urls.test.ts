import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInput } from '../../src/input/index.js';
import { readAll, tempDir } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('URL list input', () => {
  it('reads one trimmed URL a line; blank and # lines are not records', async () => {
    await writeFile(
      join(dir, 'list.urls'),
      '# comment\n  https://a.example/x  \r\n\n   \nhttps://b.example/\n  # indented comment\nhttps://c.example/',
    );
    const records = await readAll(await openInput(join(dir, 'list.urls')));
    expect(records.map((r) => [r.index, r.record])).toEqual([
      [0, { t: 'url', line: 'https://a.example/x' }],
      [1, { t: 'url', line: 'https://b.example/' }],
      [2, { t: 'url', line: 'https://c.example/' }],
    ]);
  });
});
