// A server for the HTTP benchmark, run as its own process so that the load generator does not share its event
// loop: `tsx bench/http-target.ts bare|heoga`. Prints one JSON line { port, apiKey?, isbn? } when ready.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createRegistry, defaultDeps, openDatabase } from '@heoga/registry';
import { buildApp, loadServerConfig } from '@heoga/server';
import { benchOrganisation, isbn13, syntheticCatalogCsv } from './fixtures.js';

const mode = process.argv[2];
if (mode === 'bare') {
  // The anchor: a bare Fastify route that parses the same JSON body and answers a small JSON object.
  const app = Fastify({ logger: false });
  app.post('/v1/check', (request) => ({ ok: true, items: (request.body as { items: unknown[] }).items.length }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'heoga-bench-http-'));
  const database = await openDatabase({ engine: 'sqlite', file: join(dir, 'bench.sqlite') });
  const registry = createRegistry(database, defaultDeps('http://127.0.0.1'));
  const { actor, organisationId, holderId } = await benchOrganisation(registry);
  const works = Number(process.env['BENCH_WORKS'] ?? 10_000);
  await registry.imports.importCatalog(
    actor,
    organisationId,
    new TextEncoder().encode(syntheticCatalogCsv(works, holderId)),
    {
      format: 'csv',
    },
  );
  const developer = await registry.accounts.signUp({
    email: 'dev@heoga.example',
    password: 'bench password 1234',
    displayName: 'dev',
    role: 'developer',
  });
  const { key } = await registry.accounts.createApiKey(
    { accountId: developer.id, role: 'developer', scopes: ['check'], via: 'local' },
    { name: 'bench', scopes: ['check'] },
  );
  const config = loadServerConfig(
    {},
    { demo: false, logLevel: 'warn', rateLimitPerMinute: 100_000_000, host: '127.0.0.1', port: 0 },
  );
  const app = await buildApp({ registry, config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, apiKey: key, isbn: isbn13(works - 1), works })}\n`,
  );
}

// Exit cleanly on SIGTERM so that --cpu-prof can write its profile when profiling the target.
process.once('SIGTERM', () => process.exit(0));
