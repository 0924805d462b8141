// `npm run bench [-- FILTER]`: runs every benchmark (or those whose group or name contains FILTER), prints a table
// and writes bench/results.json with the machine's core count and Node version.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { audioRobustness, oneShots as audio } from './audio-fingerprint.bench.js';
import { measure, measureOnce, type Benchmark, type BenchResult, type OneShot } from './harness.js';
import { oneShots as http } from './http.bench.js';
import { benchmarks as image, oneShots as imageDecode, imageRobustness } from './image-fingerprint.bench.js';
import { oneShots as log } from './log.bench.js';
import { oneShots as mediaIndex } from './media-index.bench.js';
import { benchmarks as policy } from './policy.bench.js';
import { oneShots as reader } from './reader.bench.js';
import { oneShots as registry } from './registry.bench.js';
import { scanQuality } from './scan-quality.bench.js';
import { oneShots as scan } from './scan.bench.js';
import { benchmarks as text, textRobustness } from './text-fingerprint.bench.js';
import { oneShots as video, videoRobustness } from './video-fingerprint.bench.js';

const ALL: readonly (Benchmark | OneShot)[] = [
  ...policy,
  ...text,
  ...image,
  ...imageDecode,
  ...audio,
  ...video,
  ...registry,
  ...log,
  ...http,
  ...reader,
  ...mediaIndex,
  ...scan,
];

/** Robustness tables (issue #4): how each fingerprint holds up under the edits datasets make. */
const ROBUSTNESS: readonly [string, () => Promise<readonly object[]> | readonly object[]][] = [
  ['text', textRobustness],
  ['image', imageRobustness],
  ['audio', audioRobustness],
  ['video', videoRobustness],
  ['scan quality', scanQuality],
];

const filter = process.argv[2]?.toLowerCase();
const selected = ALL.filter((b) => !filter || `${b.group} ${b.name}`.toLowerCase().includes(filter));
const results: BenchResult[] = [];
for (const bench of selected) {
  process.stderr.write(`bench: ${bench.group} / ${bench.name}…\n`);
  results.push('run' in bench ? await measureOnce(bench) : await measure(bench));
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const rows = results.map((r) => [
  r.group,
  r.name,
  `${fmt(r.opsPerSecond)} ${r.unit}/s`,
  `${fmt(r.medianMicros)} µs`,
  `±${(r.spread * 50).toFixed(1)}%`,
  r.bar ?? '',
]);
const header = ['group', 'benchmark', 'throughput', 'per op', 'spread', 'bar (DESIGN §6)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
for (const r of results.filter((x) => x.extra)) {
  process.stdout.write(
    `\n${r.group} / ${r.name}:\n${Object.entries(r.extra ?? {})
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}\n`,
  );
}

/** Prints rows of plain objects as an aligned table (numbers to 3 significant digits). */
function printTable(title: string, rows: readonly object[]): void {
  const cell = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v));
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k])));
  const w = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  const fmtRow = (c: readonly string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ');
  process.stdout.write(`\nrobustness: ${title}\n${fmtRow(keys)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n`);
  process.stdout.write(`${cells.map(fmtRow).join('\n')}\n`);
}

const robustness: Record<string, readonly object[]> = {};
for (const [kind, table] of ROBUSTNESS) {
  if (filter && !`fingerprint robustness ${kind}`.includes(filter)) continue;
  process.stderr.write(`bench: robustness / ${kind}…\n`);
  robustness[kind] = await table();
  printTable(kind, robustness[kind]);
}

const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};
const out = fileURLToPath(new URL('./results.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('.', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, results, robustness }, null, 2)}\n`);
process.stdout.write(`\nmachine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}\nwrote ${out}\n`);
