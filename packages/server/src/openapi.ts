import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, defaultDeps, openDatabase } from '@heoga/registry';
import { buildApp } from './app.js';
import { loadServerConfig } from './config.js';

/**
 * The OpenAPI 3.1 document generated from the route schemas, as committed in openapi.json (stable formatting, so
 * that CI can compare it byte for byte).
 */
export async function generateOpenApiDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'heoga-openapi-'));
  const database = await openDatabase({ engine: 'sqlite', file: join(dir, 'openapi.sqlite') });
  try {
    const app = await buildApp({
      registry: createRegistry(database, defaultDeps()),
      config: loadServerConfig({}, { demo: false }),
      logger: false,
    });
    await app.ready();
    const document = app.swagger() as { servers?: unknown };
    delete document.servers;
    await app.close();
    return `${JSON.stringify(document, null, 2)}\n`;
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
