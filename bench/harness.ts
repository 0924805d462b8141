/**
 * The benchmark harness behind `npm run bench`. A benchmark is a named function that does `batch` operations per
 * call; the harness warms it up, runs it for a fixed time, and reports operations per second with the spread across
 * rounds. Each bench file exports a list of benchmarks; run.ts collects them, prints a table and writes
 * bench/results.json. Never a timed test: figures go to the table, not to assertions.
 */
export interface Benchmark {
  /** Which part this measures (core, registry, scanner…). */
  readonly group: string;
  readonly name: string;
  /** What one operation is, for the table (`verdict`, `document`, `request`). */
  readonly unit: string;
  /** Operations done per call of `run`. */
  readonly batch: number;
  /** The DESIGN.md §6 bar this is measured against, in words, if any. */
  readonly bar?: string;
  /** Prepares state; the returned function is timed. */
  readonly setup: () => Promise<() => void> | (() => void);
}

/** One measured benchmark. */
export interface BenchResult {
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  readonly opsPerSecond: number;
  /** Median time per operation, in microseconds. */
  readonly medianMicros: number;
  /** Relative spread of ops/s across rounds (max-min)/median. */
  readonly spread: number;
  readonly rounds: number;
  readonly bar?: string;
  /** Further figures (seconds taken, comparison with an anchor, latencies). */
  readonly extra?: Record<string, number>;
}

/**
 * A benchmark that runs once (an import, a load test): it does its own timing and returns how many operations it
 * did in how many seconds, with any other figures worth reporting.
 */
export interface OneShot {
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  readonly bar?: string;
  readonly run: () => Promise<{ operations: number; seconds: number; extra?: Record<string, number> }>;
}

/** Runs a one-shot benchmark and reports it like the others. */
export async function measureOnce(bench: OneShot): Promise<BenchResult> {
  const { operations, seconds, extra } = await bench.run();
  const opsPerSecond = operations / seconds;
  return {
    group: bench.group,
    name: bench.name,
    unit: bench.unit,
    opsPerSecond,
    medianMicros: 1e6 / opsPerSecond,
    spread: 0,
    rounds: 1,
    ...(bench.bar ? { bar: bench.bar } : {}),
    ...(extra ? { extra } : {}),
  };
}

/** Runs one benchmark: `warmupMs` of warm-up, then rounds of about `roundMs` each for `totalMs`. */
export async function measure(
  bench: Benchmark,
  options: { warmupMs?: number; roundMs?: number; totalMs?: number } = {},
): Promise<BenchResult> {
  const { warmupMs = 300, roundMs = 200, totalMs = 2_000 } = options;
  const run = await bench.setup();
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) run();
  const rates: number[] = [];
  const end = performance.now() + totalMs;
  while (performance.now() < end) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < roundMs) {
      run();
      calls += 1;
      now = performance.now();
    }
    rates.push((calls * bench.batch) / ((now - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  return {
    group: bench.group,
    name: bench.name,
    unit: bench.unit,
    opsPerSecond: median,
    medianMicros: median > 0 ? 1e6 / median : Number.POSITIVE_INFINITY,
    spread: median > 0 ? ((rates.at(-1) ?? 0) - (rates[0] ?? 0)) / median : 0,
    rounds: rates.length,
    ...(bench.bar ? { bar: bench.bar } : {}),
  };
}
