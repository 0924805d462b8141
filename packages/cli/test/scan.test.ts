import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, defaultDeps, openDatabase } from '@heoga/registry';
import { DEMO_STORY, loadDemoCatalog, loadServerConfig, startServer } from '@heoga/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentOfBytes, englishText, koreanText } from '../../core/test/text-corpus.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'heoga-cli-scan-'));
const data = join(temp, 'data');
const index = join(temp, 'index.heoga');
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LANG: 'C', HEOGA_LANG: '', HEOGA_DATA: data };
// The embedded SQLite registry in `data`, whatever the environment says.
delete env['HEOGA_DATABASE_URL'];

function heoga(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: a server running in it must answer the child. */
function heogaAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let developerApiKey = '';

beforeAll(async () => {
  // The demo registry `npm start` makes, without starting a server.
  const database = await openDatabase({ engine: 'sqlite', file: join(data, 'heoga.sqlite') });
  try {
    developerApiKey = (await loadDemoCatalog(createRegistry(database, defaultDeps('http://localhost:8080'))))!
      .developerApiKey;
  } finally {
    await database.close();
  }
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('heoga index and heoga scan, as processes', () => {
  it('exports the demo registry as a signed snapshot, and describes it', () => {
    const exported = heoga(['index', 'export', '--out', index, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const written = JSON.parse(exported.stdout) as { id: string; manifest: { counts: { works: number }; key: string } };
    expect(written.manifest.counts.works).toBe(3);
    const info = heoga(['index', 'info', index, '--index-key', written.manifest.key, '--json']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ id: written.id, verified: true });
    const human = heoga(['index', 'info', index]);
    expect(human.stdout).toMatch(/works\s+3 \(0 disputed\)/);
    // Another key pinned: refused.
    const other = heoga([
      'index',
      'info',
      index,
      '--index-key',
      'other.example/log+00000000+AWxvbmdlcmtleWxvbmdlcmtleWxvbmdlcmtleWxvbmc=',
    ]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/SNAPSHOT_UNTRUSTED/);
  });

  it('refuses a tampered snapshot with a clear message and a non-zero exit', () => {
    const bytes = readFileSync(index);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    const tampered = join(temp, 'tampered.heoga');
    writeFileSync(tampered, bytes);
    const r = heoga([
      'scan',
      'examples/scan/dataset.jsonl',
      '--index',
      tampered,
      '--out',
      join(temp, 'never'),
      '--regime',
      'permission-first',
      '--use',
      'ai-train',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/SNAPSHOT_TAMPERED/);
    expect(existsSync(join(temp, 'never', 'verdicts.jsonl'))).toBe(false);
  });

  it('scans the example dataset: copies, re-spaced copies, quotes and URLs of the demo works', () => {
    const out = join(temp, 'example');
    const r = heoga([
      'scan',
      'examples/scan/dataset.jsonl',
      '--index',
      index,
      '--out',
      out,
      '--regime',
      'permission-first',
      '--use',
      'ai-train',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { totals: { verdicts: Record<string, number> } };
    const lines = readFileSync(join(out, 'verdicts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id?: string; verdict: string; matches: { method: string }[] });
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get('story-copy')).toMatchObject({ verdict: 'license-required', matches: [{ method: 'sha256' }] });
    expect(byId.get('story-respaced')).toMatchObject({
      verdict: 'license-required',
      matches: [{ method: 'text-sha256' }],
    });
    expect(byId.get('story-quoted')).toMatchObject({
      verdict: 'license-required',
      matches: [{ method: 'containment' }],
    });
    expect(byId.get('haneul-site')).toMatchObject({ verdict: 'license-required', matches: [{ method: 'url-prefix' }] });
    expect(byId.get('photo-page')).toMatchObject({ verdict: 'blocked', matches: [{ method: 'url' }] });
    expect(lines.filter((l) => l.verdict === 'unreadable')).toHaveLength(2);
    expect(summary.totals.verdicts['unreadable']).toBe(2);
    for (const file of ['cleared.jsonl', 'quote.json', 'report.json', 'report.html'])
      expect(existsSync(join(out, file))).toBe(true);
    expect(DEMO_STORY.length).toBeGreaterThan(500);
  });

  it('downloads the current snapshot from a registry URL, pinned to the key the registry publishes', async () => {
    const server = await startServer(
      loadServerConfig(
        {},
        { dataDir: data, port: 0, host: '127.0.0.1', publicUrl: 'http://localhost:8080', demo: false },
      ),
    );
    try {
      const keyFile = join(temp, 'api-key');
      writeFileSync(keyFile, `${developerApiKey}\n`);
      const out = join(temp, 'remote');
      const r = await heogaAsync([
        'scan',
        'examples/scan/dataset.jsonl',
        '--registry',
        server.url,
        '--api-key-file',
        keyFile,
        '--out',
        out,
        '--regime',
        'permission-first',
        '--use',
        'ai-train',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ totals: { verdicts: { 'license-required': 4, blocked: 1 } } });
      expect(existsSync(join(out, 'snapshot.heoga'))).toBe(true);
      writeFileSync(join(temp, 'bad-key'), 'hg_not_a_key\n');
      const denied = await heogaAsync([
        'scan',
        'examples/scan/dataset.jsonl',
        '--registry',
        server.url,
        '--api-key-file',
        join(temp, 'bad-key'),
        '--out',
        join(temp, 'denied'),
        '--regime',
        'permission-first',
        '--use',
        'ai-train',
      ]);
      expect(denied.code).toBe(6);
      expect(denied.stderr).toMatch(/refused the API key/);
    } finally {
      await server.close();
    }
  });

  it('resumes after kill -9 without losing or repeating a record', async () => {
    const input = join(temp, 'big.jsonl');
    const lines: string[] = [];
    for (let d = 0; d < 6000; d++)
      lines.push(
        JSON.stringify({
          id: `d${d}`,
          text: d % 500 === 0 ? DEMO_STORY : documentOfBytes(d % 2 ? englishText : koreanText, d, 2048),
        }),
      );
    writeFileSync(input, `${lines.join('\n')}\n`);
    const args = (out: string) => [
      'scan',
      input,
      '--index',
      index,
      '--out',
      out,
      '--regime',
      'opt-out',
      '--use',
      'ai-train',
      '--threads',
      '2',
      '--json',
    ];
    const clean = heoga(args(join(temp, 'clean')));
    expect(clean.code, clean.stderr).toBe(0);

    const out = join(temp, 'killed');
    const state = join(out, 'scan-state.json');
    const child = spawn(process.execPath, [bin, ...args(out)], { cwd: root, env, stdio: 'ignore' });
    // Kill it once it has checkpointed some records, well before the end.
    const killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const records = existsSync(state)
            ? (JSON.parse(readFileSync(state, 'utf8')) as { records: number }).records
            : 0;
          if (records > 0) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve(records);
          }
        } catch {
          // The state file is being replaced: read it again next time.
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the scan finished before it could be killed'));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(killedAt).toBeLessThan(6000);
    expect(statSync(join(out, 'verdicts.jsonl')).size).toBeGreaterThan(0);
    const resumed = heoga(args(out));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { resumedFrom: number }).resumedFrom).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'verdicts.jsonl'), 'utf8')).toBe(
      readFileSync(join(temp, 'clean', 'verdicts.jsonl'), 'utf8'),
    );
    expect(readFileSync(join(out, 'cleared.jsonl'), 'utf8')).toBe(
      readFileSync(join(temp, 'clean', 'cleared.jsonl'), 'utf8'),
    );
  }, 120_000);
});
