import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { isbn13 } from './fixtures.js';
import type { OneShot } from './harness.js';

interface Target {
  readonly child: ChildProcess;
  readonly port: number;
  readonly apiKey?: string;
  readonly isbn?: string;
  readonly works?: number;
}

async function startTarget(mode: 'bare' | 'heoga'): Promise<Target> {
  const script = fileURLToPath(new URL('./http-target.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, [script, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as Omit<Target, 'child'>) };
}

async function load(target: Target, body: string | (() => string), options: { rate?: number; seconds: number }) {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/v1/check`,
    method: 'POST',
    connections: 16,
    pipelining: 1,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    headers: {
      'content-type': 'application/json',
      ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
    },
    ...(typeof body === 'string'
      ? { body }
      : { requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }] }),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`load test saw ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);

/**
 * POST /v1/check with one ISBN per request (a different work each time), against a registry of 10,000 works on SQLite, compared with a bare
 * Fastify route on the same machine: first both at full speed (16 connections), then heoga at half the bare
 * route's rate to read its p99 at that load (DESIGN §6).
 */
export const oneShots: readonly OneShot[] = [
  {
    group: 'server',
    name: 'POST /v1/check (1 item) vs bare Fastify route',
    unit: 'request',
    bar: '≥ 50 % of the bare route, p99 < 20 ms at that load',
    run: async () => {
      const bare = await startTarget('bare');
      let bareResult;
      try {
        bareResult = await load(bare, JSON.stringify({ items: [{ id: 'x' }] }), { seconds: SECONDS });
      } finally {
        bare.child.kill();
      }
      const heoga = await startTarget('heoga');
      try {
        // A different registered work on every request (a pseudo-random walk over the catalog), never one cached answer.
        let n = 0;
        const works = heoga.works ?? 1;
        const body = () => {
          n = (n * 7919 + 104_729) % works;
          return JSON.stringify({
            regime: 'permission-first',
            use: 'ai-train',
            items: [{ identifier: { scheme: 'isbn', value: isbn13(n) } }],
          });
        };
        const full = await load(heoga, body, { seconds: SECONDS });
        const half = await load(heoga, body, { seconds: SECONDS, rate: Math.round(bareResult.rps / 2) });
        return {
          operations: Math.round(full.rps * SECONDS),
          seconds: SECONDS,
          extra: {
            bareRps: Math.round(bareResult.rps),
            bareP99Ms: bareResult.p99,
            heogaRps: Math.round(full.rps),
            ratioToBare: +(full.rps / bareResult.rps).toFixed(2),
            heogaP99MsAtFullLoad: full.p99,
            halfBareRate: Math.round(bareResult.rps / 2),
            heogaRpsAtHalfBareRate: Math.round(half.rps),
            heogaP50MsAtHalfBareRate: half.p50,
            heogaP99MsAtHalfBareRate: half.p99,
            registryWorks: heoga.works ?? 0,
          },
        };
      } finally {
        heoga.child.kill();
      }
    },
  },
];
