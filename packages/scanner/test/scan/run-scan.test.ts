import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../src/errors.js';
import { openSnapshot, type LoadedSnapshot } from '../../src/snapshot/open-snapshot.js';
import { writeSnapshot } from '../../src/snapshot/write-snapshot.js';
import { runScan } from '../../src/scan/run-scan.js';
import type { VerdictLine } from '../../src/types.js';
import { proseText, tempDir, testKey, textWork } from '../support.js';

const temp = tempDir('heoga-run-scan-');
let snapshot: LoadedSnapshot;
const input = join(temp.dir, 'dataset.jsonl');
const works = [
  textWork('denied', proseText(1, 500), { 'ai-train': { kind: 'deny' } }),
  textWork('allowed', proseText(2, 500), { 'ai-train': { kind: 'allow' } }),
  textWork('priced', proseText(3, 500), {
    'ai-train': {
      kind: 'license',
      terms: { price: { amountMinor: 50_000, currency: 'KRW' }, unit: 'per-work', attribution: true },
    },
  }),
  // Two works in an open dispute: the allowed one's copies are judged by the stricter stance of both.
  textWork(
    'disputed-allow',
    proseText(4, 500),
    { 'ai-train': { kind: 'allow' } },
    {
      disputed: true,
      disputedWith: ['disputed-deny'],
    },
  ),
  textWork(
    'disputed-deny',
    proseText(5, 500),
    { 'ai-train': { kind: 'deny' } },
    {
      disputed: true,
      disputedWith: ['disputed-allow'],
    },
  ),
];

/** The dataset's lines and what each should come to under permission-first for ai-train. */
const records: [string, VerdictLine['verdict'], string[]][] = [];
function add(line: string, verdict: VerdictLine['verdict'], matched: string[] = []): void {
  records.push([line, verdict, matched]);
}

beforeAll(async () => {
  const path = join(temp.dir, 'index.heoga');
  await writeSnapshot(works, path, { ...testKey(), registry: { name: 'test' } });
  snapshot = openSnapshot(path);
  add(JSON.stringify({ id: 'copy-denied', text: proseText(1, 500) }), 'blocked', ['denied']);
  add(JSON.stringify({ id: 'copy-allowed', text: proseText(2, 500).toUpperCase() }), 'cleared', ['allowed']);
  add(
    JSON.stringify({ id: 'quote-priced', text: `${proseText(77, 200)} ${proseText(3, 500).slice(500, 1500)}` }),
    'license-required',
    ['priced'],
  );
  add(JSON.stringify({ id: 'copy-disputed', text: proseText(4, 500) }), 'blocked', ['disputed-allow']);
  for (let i = 0; i < 30; i++) add(JSON.stringify({ id: `other-${i}`, text: proseText(1000 + i, 300) }), 'unknown');
  add('{"id": "broken", "text": "cut off', 'unreadable');
  add(JSON.stringify({ id: 'no-text', n: 1 }), 'unreadable');
  add(JSON.stringify({ id: 'copy-denied-2', text: proseText(1, 500) }), 'blocked', ['denied']);
  writeFileSync(input, `${records.map(([l]) => l).join('\n')}\n`);
});
afterAll(() => temp.remove());

const lines = (out: string): VerdictLine[] =>
  readFileSync(join(out, 'verdicts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as VerdictLine);

const scan = (out: string, extra: Partial<Parameters<typeof runScan>[0]> = {}) =>
  runScan({
    input,
    out: join(temp.dir, out),
    snapshot,
    use: 'ai-train',
    regime: 'permission-first',
    threads: 0,
    now: () => new Date('2026-12-07T00:00:00Z'),
    ...extra,
  });

describe('runScan', () => {
  it('gives every record its verdict, in input order, with its matches', async () => {
    const result = await scan('single');
    const got = lines(join(temp.dir, 'single'));
    expect(got.map((l) => l.index)).toEqual(records.map((_, i) => i));
    for (const [i, [, verdict, matched]] of records.entries()) {
      expect(got[i]!.verdict, `record ${i}`).toBe(verdict);
      expect(got[i]!.matches.map((m) => m.workId)).toEqual(matched);
    }
    const unreadable = got.filter((l) => l.verdict === 'unreadable');
    // A line that is not JSON has no id to give; its index says which it is.
    expect(unreadable.map((l) => l.id)).toEqual([undefined, 'no-text']);
    expect(unreadable[0]!.reason).toMatch(/JSON/);
    expect(unreadable[1]!.reason).toMatch(/no text, url or media/);
    // The disputed copy's evidence holds both works' statements; the stricter one decided.
    const disputed = got.find((l) => l.id === 'copy-disputed')!;
    expect(disputed.evidence.map((e) => (e.statement.source as { workId: string }).workId).sort()).toEqual([
      'disputed-allow',
      'disputed-deny',
    ]);
    expect(result.report!.totals.verdicts).toEqual({
      cleared: 1,
      blocked: 3,
      'license-required': 1,
      unknown: 30,
      unreadable: 2,
    });
    // cleared.jsonl holds exactly the cleared records' original lines.
    const cleared = readFileSync(join(temp.dir, 'single', 'cleared.jsonl'), 'utf8');
    expect(cleared).toBe(
      `${records
        .filter(([, v]) => v === 'cleared')
        .map(([l]) => l)
        .join('\n')}\n`,
    );
    const quote = JSON.parse(readFileSync(join(temp.dir, 'single', 'quote.json'), 'utf8')) as {
      totals: { currency: string; amountMinor: number }[];
    };
    expect(quote.totals).toEqual([expect.objectContaining({ currency: 'KRW', amountMinor: 50_000 })]);
    const html = readFileSync(join(temp.dir, 'single', 'report.html'), 'utf8');
    expect(html).toContain(snapshot.id);
  });

  it('gives the same lines on worker threads as in one thread', async () => {
    await scan('threads', { threads: 2 });
    expect(readFileSync(join(temp.dir, 'threads', 'verdicts.jsonl'), 'utf8')).toBe(
      readFileSync(join(temp.dir, 'single', 'verdicts.jsonl'), 'utf8'),
    );
  });

  it('resumes where it stopped, losing and repeating nothing', async () => {
    const first = await scan('resumed', { stopAfter: 7 });
    expect(first.complete).toBe(false);
    // A crash after lines were written but before their checkpoint: those lines are dropped and redone.
    writeFileSync(join(temp.dir, 'resumed', 'verdicts.jsonl'), '{"index":999,"half a line', { flag: 'a' });
    const second = await scan('resumed');
    expect(second.complete).toBe(true);
    expect(second.resumedFrom).toBe(7);
    expect(readFileSync(join(temp.dir, 'resumed', 'verdicts.jsonl'), 'utf8')).toBe(
      readFileSync(join(temp.dir, 'single', 'verdicts.jsonl'), 'utf8'),
    );
  });

  it('refuses to resume a different scan in the same folder', async () => {
    await expect(scan('single', { regime: 'opt-out' })).rejects.toSatisfy(
      (e) => e instanceof ScanError && e.code === 'CHECKPOINT_MISMATCH',
    );
    const restarted = await scan('single', { regime: 'opt-out', restart: true });
    expect(restarted.report!.context.regime).toBe('opt-out');
  });

  it('stops with INPUT_UNREADABLE on a missing input', async () => {
    await expect(scan('missing', { input: join(temp.dir, 'nope.jsonl') })).rejects.toSatisfy(
      (e) => e instanceof ScanError && e.code === 'INPUT_UNREADABLE',
    );
  });
});
