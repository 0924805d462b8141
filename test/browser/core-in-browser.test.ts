// End to end: @heoga/core bundled by Vite and run in Debian's Chromium computes the same fingerprints, from the same
// files, as Node does. Creators fingerprint their works in the browser; the registry and the scanner compare them with
// fingerprints computed in Node, so the two must agree bit for bit.
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as heogaCore from '@heoga/core';
import { fingerprint, parsePpm } from '@heoga/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VECTORS_AVAILABLE, vectorsDir } from '../../packages/core/test/vectors.js';
import { requireSystemTool } from '../support/system-tools.js';

/** The shape of the bundle the page exposes: @heoga/core itself. */
type HeogaCore = typeof heogaCore;

const here = fileURLToPath(new URL('.', import.meta.url));
const coreSource = fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url));

/** Texts that exercise the normaliser: Korean with odd spacing, full-width forms, CRLF, a BOM, emoji, jamo. */
const TEXTS: Record<string, string> = {
  'korean.txt':
    '허가 없이는 학습할 수 없습니다. 창작자는 자신의 작품이 어떻게 쓰일지 미리 정할 권리가 있습니다.\n'.repeat(12),
  'korean-respaced.txt':
    '허가없이는 학습 할수 없습니다 . 창작자는자신의 작품이 어떻게쓰일지 미리 정할권리가 있습니다\n'.repeat(12),
  'english.txt': 'Copyright means permission in advance; opt-out fails most creators.\r\n'.repeat(20),
  'mixed.txt': '\uFEFFＫ-ＰＯＰ ① ㅋㅋㅋ 한국어 🎵 Café naïve — “quotes” 日本語のテキスト\n'.repeat(8),
  'short.txt': '허가',
};

let browser: Browser | undefined;
let page: Page;
let server: Server;
let baseUrl = '';
let work = '';

async function serve(root: string, files: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const s = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const [base, rel] = path.startsWith('/files/')
      ? [files, path.slice(7)]
      : [root, path === '/' ? 'index.html' : path];
    if (rel.includes('..')) return void res.writeHead(400).end();
    res.setHeader('content-type', types[extname(rel)] ?? 'application/octet-stream');
    createReadStream(join(base, rel))
      .on('error', () => res.writeHead(404).end())
      .pipe(res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

beforeAll(async () => {
  requireSystemTool('chromium', 'chromium');
  work = await mkdtemp(join(tmpdir(), 'heoga-browser-'));
  const outDir = join(work, 'dist');
  const files = join(work, 'files');
  await build({
    configFile: false,
    root: here,
    logLevel: 'warn',
    resolve: { alias: { '@heoga/core': coreSource } },
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022' },
  });
  await mkdir(files);
  for (const [name, text] of Object.entries(TEXTS)) await writeFile(join(files, name), text);
  server = await serve(outDir, files);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
  await page.waitForFunction(() => 'heogaCore' in globalThis);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs core's `fingerprint` in the page on a file the page fetches itself. */
function inPage(url: string, kind: 'text' | 'image'): Promise<unknown> {
  return page.evaluate(
    async ([u, k]) => {
      const core = (globalThis as unknown as { heogaCore: HeogaCore }).heogaCore;
      const bytes = new Uint8Array(await (await fetch(u)).arrayBuffer());
      if (k === 'text') return core.fingerprint(bytes, 'text');
      const pixels = core.parsePpm(bytes);
      if (!pixels.ok) throw new Error(JSON.stringify(pixels.issues));
      return core.fingerprint(pixels.value, 'image');
    },
    [url, kind] as const,
  );
}

describe('@heoga/core in Chromium, bundled by Vite', () => {
  it.each(Object.keys(TEXTS))('text fingerprints of %s are identical in the page and in Node', async (name) => {
    const inNode = fingerprint(new TextEncoder().encode(TEXTS[name]), 'text');
    expect(await inPage(`${baseUrl}/files/${name}`, 'text')).toEqual(JSON.parse(JSON.stringify(inNode)));
  });

  describe.skipIf(!VECTORS_AVAILABLE)('PDQ on the reference PPM files', () => {
    it('every hash, dihedral hash and quality is identical in the page and in Node', async () => {
      const ppmDir = join(vectorsDir(), 'pdq', 'ppm');
      const names = (await readdir(ppmDir)).filter((n) => n.endsWith('.ppm'));
      expect(names.length).toBeGreaterThan(20);
      for (const name of names) {
        await writeFile(join(work, 'files', name), await readFile(join(ppmDir, name)));
        const pixels = parsePpm(await readFile(join(ppmDir, name)));
        if (!pixels.ok) throw new Error(`${name}: ${JSON.stringify(pixels.issues)}`);
        const inNode = JSON.parse(JSON.stringify(fingerprint(pixels.value, 'image')));
        expect(await inPage(`${baseUrl}/files/${name}`, 'image'), name).toEqual(inNode);
      }
    });
  });
});
