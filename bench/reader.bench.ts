/**
 * The signal reader over many origins on loopback (DESIGN.md §6: ≥ 500 URLs/s over 1,000 origins).
 *
 * Setup: ONE node:http server on 127.0.0.1 (one port) that serves 1,000 origins by the Host header
 * (`site-0000.test` … `site-0999.test`), plus a resolver injected into the reader's fetcher that maps those names to
 * 127.0.0.1 (`allowPrivate` admits exactly those names). Each origin serves a robots.txt with Content-Signal,
 * Content-Usage and a License line, a tdmrep.json, an ai.txt, an RSL licence and two HTML pages with Content-Usage,
 * X-Robots-Tag and Link headers and meta tags, so each URL exercises every signal; per origin that is 6 requests
 * (robots.txt, tdmrep.json, ai.txt and the RSL licence are fetched once, then cached). The server runs in a worker
 * thread of the same process, on its own event loop; `cpuSeconds` counts both threads. Politeness is the reader's
 * default (at most 2 requests in flight per origin, 100 ms between starts); the server counts requests in flight per Host and the
 * bench reports the highest, which must not exceed 2.
 *
 * Politeness is not what bounds this shape: an origin's first page waits for 4 starts 100 ms apart (robots.txt,
 * tdmrep.json, ai.txt, the page) and then the RSL licence, about 0.4 s, so 512 URLs in flight allow roughly
 * 512 / 0.4 s ≈ 1,300 first pages/s, and second pages find the origin's files cached. The figure is bounded by CPU:
 * about 3 HTTP requests per URL through node:http, plus parsing and combining every signal.
 */
import { Worker } from 'node:worker_threads';
import { Fetcher, SignalReader } from '@heoga/reader';
import type { OneShot } from './harness.js';

const ORIGINS = 1_000;
const PAGES_PER_ORIGIN = 2;
const URLS_IN_FLIGHT = 512;

const name = (i: number) => `site-${String(i).padStart(4, '0')}.test`;

/**
 * The test site, run in a worker thread so that its work does not share the reader's event loop: one node:http
 * server on 127.0.0.1 whose origins are told apart by the Host header. It reports requests and the most requests in
 * flight per host when asked.
 */
const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const page = (licence) => ({
  type: 'text/html; charset=utf-8',
  headers: {
    'content-usage': 'train-ai=n, search=y',
    'x-robots-tag': 'noai',
    link: '<' + licence + '>; rel="license"; type="application/rsl+xml"',
  },
  body: '<!doctype html><html><head><meta name="robots" content="noai"><meta name="tdm-reservation" content="1"></head><body>' + 'text '.repeat(200) + '</body></html>',
});
const routes = (host, port) => {
  const licence = 'http://' + host + ':' + port + '/license.xml';
  return {
    '/robots.txt': { type: 'text/plain', body: 'User-agent: *\\nContent-Signal: ai-train=no, search=yes\\nContent-Usage: train-ai=n, search=y\\nAllow: /\\nLicense: ' + licence + '\\n\\nUser-agent: GPTBot\\nDisallow: /\\n' },
    '/.well-known/tdmrep.json': { type: 'application/json', body: '[{"location":"/","tdm-reservation":1}]' },
    '/ai.txt': { type: 'text/plain', body: 'User-Agent: *\\nDisallow: *.jpg\\n' },
    '/license.xml': { type: 'application/rsl+xml', body: '<rsl xmlns="https://rslstandard.org/rsl"><content url="/*"><license><permits type="usage">search</permits><prohibits type="usage">ai-all</prohibits></license><license><permits type="usage">ai-train</permits><payment type="training"><amount currency="EUR">10.00</amount></payment></license></content></rsl>' },
    '/page/0': page(licence),
    '/page/1': page(licence),
  };
};
// Responses are made once per host (headers with their length, bodies as bytes), so each request costs the server
// a map look-up and a write: the reader, not the test site, is what is measured.
const tables = new Map();
const inFlight = new Map();
let maxInFlight = 0;
let requests = 0;
let port = 0;
const prepare = (table) => {
  const out = new Map();
  for (const [path, route] of Object.entries(table)) {
    const body = Buffer.from(route.body);
    out.set(path, { body, headers: Object.assign({ 'content-type': route.type, 'content-length': String(body.length) }, route.headers || {}) });
  }
  return out;
};
const server = http.createServer((req, res) => {
  const hostHeader = req.headers.host || '';
  const colon = hostHeader.indexOf(':');
  const host = colon === -1 ? hostHeader : hostHeader.slice(0, colon);
  requests++;
  const now = (inFlight.get(host) || 0) + 1;
  inFlight.set(host, now);
  if (now > maxInFlight) maxInFlight = now;
  res.on('close', () => inFlight.set(host, inFlight.get(host) - 1));
  let table = tables.get(host);
  if (!table) { table = prepare(routes(host, port)); tables.set(host, table); }
  const route = table.get(req.url || '');
  if (!route) { res.writeHead(404).end(); return; }
  res.writeHead(200, route.headers).end(route.body);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  parentPort.postMessage({ port });
});
parentPort.on('message', () => {
  server.closeAllConnections();
  server.close(() => parentPort.postMessage({ requests, maxInFlight }));
});
`;

export const oneShots: OneShot[] = [
  {
    group: 'reader',
    name: `readSignals, ${ORIGINS} origins x ${PAGES_PER_ORIGIN} pages (loopback, Host-header origins)`,
    unit: 'URL',
    bar: '≥ 500 URLs/s over 1,000 origins on loopback',
    run: async () => {
      const worker = new Worker(SERVER, { eval: true });
      const port = await new Promise<number>((resolve, reject) => {
        worker.once('message', (m: { port: number }) => resolve(m.port));
        worker.once('error', reject);
      });
      const fetcher = new Fetcher({
        resolve: (hostname) =>
          hostname.endsWith('.test')
            ? Promise.resolve([{ address: '127.0.0.1', family: 4 as const }])
            : Promise.reject(new Error(`unknown host ${hostname}`)),
        allowPrivate: (_address, hostname) => hostname.endsWith('.test'),
        maxConcurrent: 512,
      });
      const reader = new SignalReader({ fetcher });
      const urls: string[] = [];
      for (let p = 0; p < PAGES_PER_ORIGIN; p++)
        for (let i = 0; i < ORIGINS; i++) urls.push(`http://${name(i)}:${port}/page/${p}`);
      let next = 0;
      let licensed = 0;
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      await Promise.all(
        Array.from({ length: URLS_IN_FLIGHT }, async () => {
          while (next < urls.length) {
            const report = await reader.read(urls[next++] ?? '');
            if (report.answers['ai-train']?.answer === 'license') licensed++;
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const stats = [...fetcher.stats().values()];
      reader.close();
      worker.postMessage('stop');
      const { requests, maxInFlight } = await new Promise<{ requests: number; maxInFlight: number }>((resolve) =>
        worker.once('message', resolve),
      );
      await worker.terminate();
      if (licensed !== urls.length) throw new Error(`expected every URL to read ai-train=license, got ${licensed}`);
      return {
        operations: urls.length,
        seconds,
        extra: {
          origins: stats.length,
          // CPU time of this process (reader and server threads together): on a busy machine wall time overstates it.
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          requests,
          maxInFlightPerOriginAtServer: maxInFlight,
          maxInFlightPerOriginAtClient: Math.max(...stats.map((s) => s.maxInFlight)),
          minGapBetweenStartsMs: Math.min(...stats.map((s) => s.minGapMs)),
        },
      };
    },
  },
];
