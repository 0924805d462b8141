import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, databaseLocation, defaultDeps, openDatabase } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import { loadDemoCatalog } from './demo.js';
import { loadOrCreateLogKey } from './log-key.js';

/** How often the server appends new registry events to the transparency log. */
export const LOG_APPEND_INTERVAL_MS = 500;

/** A running server and how to stop it. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Opens the registry (SQLite under `dataDir`, or PostgreSQL), loads the demo catalog into an empty database when
 * asked, and listens. Demo credentials go to `<dataDir>/demo-credentials.json` (mode 0600), never to the log.
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const database = await openDatabase(databaseLocation({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
  const logIdentity = loadOrCreateLogKey(config.logKeyFile, config.logOrigin);
  const registry = createRegistry(database, defaultDeps(config.publicUrl), { log: logIdentity });
  const app = await buildApp({ registry, config });
  if (logIdentity.created)
    app.log.warn(
      { file: config.logKeyFile },
      'created the transparency log signing key (keep it safe; see docs/transparency-log.md)',
    );
  if (config.demo) {
    const demo = await loadDemoCatalog(registry);
    if (demo) {
      mkdirSync(config.dataDir, { recursive: true });
      const file = join(config.dataDir, 'demo-credentials.json');
      writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      app.log.warn(
        { file },
        'loaded the DEMO catalog (3 works, 3 accounts); credentials are in the file named here. Use --no-demo for real data.',
      );
    }
  }
  // Append new events to the transparency log continuously (receipts also append on demand).
  const log = registry.log!;
  await log.appendPending();
  const appender = setInterval(() => {
    log.appendPending().catch((error: unknown) => app.log.error({ err: error }, 'transparency log append failed'));
  }, LOG_APPEND_INTERVAL_MS);
  appender.unref();
  const address = await app.listen({ host: config.host, port: config.port });
  return {
    app,
    url: address,
    close: async () => {
      clearInterval(appender);
      await app.close();
      await log.appendPending();
      await database.close();
    },
  };
}
