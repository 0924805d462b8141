import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type TestOrigin } from '../../../reader/test/site.js';
import { openSnapshot, type LoadedSnapshot } from '../../src/snapshot/open-snapshot.js';
import { writeSnapshot } from '../../src/snapshot/write-snapshot.js';
import { runScan } from '../../src/scan/run-scan.js';
import type { VerdictLine } from '../../src/types.js';
import { tempDir, testKey } from '../support.js';

const temp = tempDir('heoga-check-urls-');
let site: Awaited<ReturnType<typeof startSite>>;
let refusing: TestOrigin;
let silent: TestOrigin;
let snapshot: LoadedSnapshot;

beforeAll(async () => {
  site = await startSite(2);
  [refusing, silent] = site.origins as [TestOrigin, TestOrigin];
  refusing.routes.set('/robots.txt', {
    headers: { 'content-type': 'text/plain' },
    body: 'User-agent: *\nContent-Usage: train-ai=n\nAllow: /\n',
  });
  refusing.routes.set('/story', { headers: { 'content-type': 'text/html' }, body: '<p>a story</p>' });
  silent.routes.set('/robots.txt', { status: 404 });
  silent.routes.set('/story', { headers: { 'content-type': 'text/html' }, body: '<p>another story</p>' });
  const path = join(temp.dir, 'empty.heoga');
  await writeSnapshot([], path, { ...testKey(), registry: { name: 'test' } });
  snapshot = openSnapshot(path);
});
afterAll(async () => {
  await site.close();
  temp.remove();
});

describe('runScan --check-urls', () => {
  it("adds each URL's site signals to the statements: an opt-out refusal blocks, silence clears", async () => {
    const input = join(temp.dir, 'list.urls');
    writeFileSync(input, `# two pages\n${refusing.origin}/story\n${silent.origin}/story\n`);
    const out = join(temp.dir, 'out');
    const scan = (checkUrls: boolean, dir: string) =>
      runScan({
        input,
        out: dir,
        snapshot,
        use: 'ai-train',
        regime: 'opt-out',
        threads: 0,
        checkUrls,
        allowPrivateUrls: true,
        restart: true,
      });
    await scan(true, out);
    const lines = readFileSync(join(out, 'verdicts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VerdictLine);
    expect(lines.map((l) => l.verdict)).toEqual(['blocked', 'cleared']);
    expect(lines[0]!.evidence[0]!.statement.source).toMatchObject({ kind: 'site-signal' });
    expect(readFileSync(join(out, 'cleared.urls'), 'utf8')).toBe(`${silent.origin}/story\n`);
    // Without --check-urls, nothing is known about either page: under opt-out both are cleared.
    await scan(false, join(temp.dir, 'unchecked'));
    const unchecked = readFileSync(join(temp.dir, 'unchecked', 'verdicts.jsonl'), 'utf8');
    expect(unchecked.match(/"verdict":"cleared"/g)).toHaveLength(2);
  });
});
