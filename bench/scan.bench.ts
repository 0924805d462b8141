// `heoga scan` end to end (DESIGN §6: "dataset scan of JSONL text against a registry of 1 million works: at least
// 20 MB/s per core end to end, memory under 2 GB, using both cores"). Builds a snapshot of 1,000,000 works through
// the same writer `heoga index export` uses (fed generated works, not a database: a million works with real-size
// fingerprints would take the SQLite import longer than the whole bench), then scans a generated JSON Lines dataset
// of 2 KB documents on every core, a share of them copies and excerpts of registered works, and reports MB/s per
// core, the peak resident memory, the snapshot's size and load time, and that every planted copy was found.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNoteSigner,
  fingerprint,
  formatVerifierKey,
  noteKeyFromSeed,
  serialisePdq,
  serialiseTextFingerprint,
  type Stance,
  type Statement,
} from '@heoga/core';
import { openSnapshot, runScan, writeSnapshot, type SnapshotWork, type VerdictLine } from '@heoga/scanner';
import { documentOfBytes, embed, englishText, excerptOf, koreanText } from '../packages/core/test/text-corpus.js';
import type { OneShot } from './harness.js';

const WORKS = Number(process.env['HEOGA_BENCH_SCAN_WORKS'] ?? 1_000_000);
/** Registered works with real fingerprints of real (generated) text, that the dataset copies from. */
const REAL_WORKS = 2_000;
const DOCUMENTS = Number(process.env['HEOGA_BENCH_SCAN_DOCUMENTS'] ?? 100_000);
const DOCUMENT_BYTES = 2048;
const encoder = new TextEncoder();

const POLICIES: readonly ((id: string) => Statement[])[] = [
  (id) => [pref(id, 'ai-train', { kind: 'deny' })],
  (id) => [pref(id, 'ai-train', { kind: 'allow' }), pref(id, 'ai-input', { kind: 'deny' })],
  (id) => [
    pref(id, 'ai-train', {
      kind: 'license',
      terms: { price: { amountMinor: 50_000, currency: 'KRW' }, unit: 'per-work', attribution: true },
    }),
  ],
];

function pref(workId: string, use: 'ai-train' | 'ai-input', stance: Stance): Statement {
  return {
    kind: 'preference',
    id: `${workId}/${use}`,
    source: { kind: 'registry', registry: 'bench', workId },
    uses: [use],
    stance,
    observedAt: '2026-11-01T00:00:00Z',
  };
}

/** A real text of a registered work (Korean or English, 6–12 kB), deterministic in its number. */
const realText = (i: number): string =>
  i % 2 === 0 ? koreanText(700_000 + i, 2_000 + (i % 5) * 400) : englishText(700_000 + i, 6_000 + (i % 5) * 1_200);

/**
 * The registry: `REAL_WORKS` works with the real fingerprints of their texts, and the rest generated with random
 * fingerprints of the sizes real ones have: texts of about 1,000 normalised characters (a MinHash signature and ~120
 * winnowing fingerprints, two SHA-256), images (a PDQ hash), and works known by URL only. Random fingerprints match
 * nothing by chance, so they cost the scan what a real registry of that size costs it: the index lookups.
 */
function* registryWorks(): Generator<SnapshotWork> {
  for (let i = 0; i < WORKS; i++) {
    const id = `work-${i.toString().padStart(7, '0')}`;
    const base = {
      id,
      disputed: false,
      titles: [{ lang: i % 2 ? 'en' : 'ko', title: `Work ${i}` }],
      holders: [{ id: `holder-${i % 50_000}`, name: `Rights holder ${i % 50_000}`, role: 'author', shareBp: 10_000 }],
      statements: POLICIES[i % POLICIES.length]!(id),
      disputedWith: [],
    };
    if (i < REAL_WORKS) {
      const record = fingerprint(encoder.encode(realText(i)), 'text');
      yield {
        ...base,
        kind: 'text',
        identifiers: [],
        fingerprints: record.fingerprints.map((f) => ({ ...f, fileSha256: null })),
      };
      continue;
    }
    const kind = i % 10;
    if (kind < 7) {
      const signature = new Uint32Array(randomBytes(512).buffer.slice(0));
      const count = 120;
      const positions = new Uint32Array(count);
      for (let p = 0, at = 0; p < count; p++) positions[p] = at += 1 + (p % 15);
      const hashes = new Uint32Array(randomBytes(count * 8).buffer.slice(0));
      yield {
        ...base,
        kind: 'text',
        identifiers: [],
        fingerprints: [
          { algorithm: 'sha256', value: randomBytes(32).toString('hex'), fileSha256: null },
          { algorithm: 'sha256-text-nfkc/1', value: randomBytes(32).toString('hex'), fileSha256: null },
          { ...serialiseTextFingerprint({ algorithm: 'minhash-oph-c5-128/1', signature }), fileSha256: null },
          {
            ...serialiseTextFingerprint({
              algorithm: 'winnow-c13-w16/1',
              fingerprints: { positions, hashHigh: hashes.subarray(0, count), hashLow: hashes.subarray(count) },
            }),
            fileSha256: null,
          },
        ],
      };
    } else if (kind < 9) {
      yield {
        ...base,
        kind: 'image',
        identifiers: [],
        fingerprints: [
          { algorithm: 'pdq/1', value: serialisePdq({ hash: randomBytes(32), quality: 90 }), fileSha256: null },
        ],
      };
    } else {
      yield {
        ...base,
        kind: 'text',
        identifiers: [{ scheme: 'url-prefix', value: `https://site-${i}.example/` }],
        fingerprints: [],
      };
    }
  }
}

/**
 * The dataset: 2 KB documents, one in 50 a copy of a registered work's opening, one in 50 a 2 KB document holding a
 * 40 % excerpt of one, the rest unrelated; every record has an id and a URL (one in 100 under a registered prefix).
 */
function dataset(path: string): { bytes: number; planted: Map<number, string> } {
  const lines: string[] = [];
  const planted = new Map<number, string>();
  for (let d = 0; d < DOCUMENTS; d++) {
    const generator = d % 2 ? englishText : koreanText;
    let text: string;
    let work: number | undefined;
    if (d % 50 === 0) {
      work = (d / 50) % REAL_WORKS;
      text = realText(work);
    } else if (d % 50 === 25) {
      work = ((d - 25) / 50 + 7) % REAL_WORKS;
      const host = documentOfBytes(generator, 900_000 + d, DOCUMENT_BYTES);
      text = embed(host, excerptOf(realText(work), 0.3, 0.4), 0.5).text;
    } else text = documentOfBytes(generator, 900_000 + d, DOCUMENT_BYTES);
    const url =
      d % 100 === 1
        ? `https://site-${REAL_WORKS + 9 + 10 * (d % 9_000)}.example/page/${d}`
        : `https://crawl.example/${d}`;
    if (work !== undefined) planted.set(d, `work-${work.toString().padStart(7, '0')}`);
    else if (d % 100 === 1) planted.set(d, `work-${(REAL_WORKS + 9 + 10 * (d % 9_000)).toString().padStart(7, '0')}`);
    lines.push(JSON.stringify({ id: `doc-${d}`, url, text }));
  }
  const body = `${lines.join('\n')}\n`;
  writeFileSync(path, body);
  return { bytes: Buffer.byteLength(body), planted };
}

export const oneShots: readonly OneShot[] = [
  {
    group: 'scanner',
    name: `heoga scan: ${DOCUMENTS.toLocaleString('en-US')} JSONL documents of 2 KB against ${WORKS.toLocaleString('en-US')} works`,
    unit: 'MB',
    bar: '≥ 20 MB/s per core end to end, memory < 2 GB, every core',
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'heoga-bench-scan-'));
      try {
        const key = noteKeyFromSeed('bench.heoga/log', new Uint8Array(32).fill(1));
        const snapshotPath = join(dir, 'index.heoga');
        let started = performance.now();
        const written = await writeSnapshot(registryWorks(), snapshotPath, {
          signer: createNoteSigner(key),
          verifierKey: formatVerifierKey(key),
          registry: { name: 'bench' },
        });
        const exportSeconds = (performance.now() - started) / 1000;
        const input = join(dir, 'dataset.jsonl');
        const { bytes, planted } = dataset(input);
        started = performance.now();
        const snapshot = openSnapshot(snapshotPath, { trustedKey: formatVerifierKey(key) });
        const loadSeconds = (performance.now() - started) / 1000;
        const threads = availableParallelism();
        started = performance.now();
        let scanningSeconds = 0;
        const result = await runScan({
          input,
          out: join(dir, 'out'),
          snapshot,
          use: 'ai-train',
          regime: 'permission-first',
          threads,
          onProgress: (p) => {
            if (p.phase === 'writing' && scanningSeconds === 0) scanningSeconds = (performance.now() - started) / 1000;
          },
        });
        const seconds = (performance.now() - started) / 1000;
        const rssGiB = process.resourceUsage().maxRSS / 2 ** 20;
        // Every planted copy, excerpt and URL must have been found, with the right work.
        let found = 0;
        const verdicts = readFileSync(join(dir, 'out', 'verdicts.jsonl'), 'utf8').split('\n');
        for (const [d, work] of planted) {
          const line = JSON.parse(verdicts[d]!) as VerdictLine;
          if (line.matches.some((m) => m.workId === work)) found++;
        }
        const megabytes = bytes / 1e6;
        return {
          operations: megabytes,
          seconds,
          extra: {
            threads,
            mbPerSecondPerCore: +(megabytes / seconds / threads).toFixed(1),
            // Phase one (every record cleared, verdicts.jsonl written) and phase two (cleared file, quote, report).
            scanningSeconds: +scanningSeconds.toFixed(1),
            writingSeconds: +(seconds - scanningSeconds).toFixed(1),
            documentsPerSecond: Math.round(DOCUMENTS / seconds),
            peakRssGiB: +rssGiB.toFixed(2),
            snapshotMegabytes: +(written.bytes / 1e6).toFixed(0),
            snapshotExportSeconds: +exportSeconds.toFixed(1),
            snapshotLoadSeconds: +loadSeconds.toFixed(2),
            plantedFound: found,
            planted: planted.size,
            matchedRecords: result.report?.totals.matchedRecords ?? 0,
            clearedRecords: result.report?.totals.verdicts.cleared ?? 0,
            inputMegabytes: +(statSync(input).size / 1e6).toFixed(0),
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
