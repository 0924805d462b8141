import { loadServerConfig, startServer, type ServerConfig } from '@heoga/server';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Flags of `heoga serve`; each overrides its environment variable. */
export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly data?: string;
  readonly demo: boolean;
}

/**
 * `heoga serve` (and `npm start`): the registry API and docs on http://localhost:8080 by default, on the embedded
 * SQLite database under ./data unless HEOGA_DATABASE_URL names PostgreSQL. Runs until SIGINT or SIGTERM.
 */
export async function runServe(io: CliIo, options: ServeOptions): Promise<ExitCode> {
  const overrides: { -readonly [K in keyof ServerConfig]?: ServerConfig[K] } = {};
  if (options.port !== undefined) overrides.port = options.port;
  if (options.host !== undefined) overrides.host = options.host;
  if (options.data !== undefined) overrides.dataDir = options.data;
  if (!options.demo) overrides.demo = false;
  const config = loadServerConfig(io.vars, overrides);
  const server = await startServer(config);
  const shown = server.url.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  io.stderr(
    `heoga is listening on ${shown} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})\n` +
      `  API docs: ${shown}/docs   OpenAPI: ${shown}/openapi.json   health: ${shown}/healthz\n` +
      `  stop with Ctrl-C\n`,
  );
  const signal = await io.untilShutdown();
  io.stderr(`heoga: ${signal}, shutting down\n`);
  await server.close();
  return EXIT.ok;
}
