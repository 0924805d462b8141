// `npm run bench [-- FILTER]`: runs every benchmark (or those whose group or name contains FILTER), prints a table
// and writes bench/results.json with the machine's core count and Node version.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measure, measureOnce, type Benchmark, type BenchResult, type OneShot } from './harness.js';
import { oneShots as http } from './http.bench.js';
import { oneShots as log } from './log.bench.js';
import { benchmarks as policy } from './policy.bench.js';
import { oneShots as registry } from './registry.bench.js';

const ALL: readonly (Benchmark | OneShot)[] = [...policy, ...registry, ...log, ...http];

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

const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};
const out = fileURLToPath(new URL('./results.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('.', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`);
process.stdout.write(`\nmachine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}\nwrote ${out}\n`);
