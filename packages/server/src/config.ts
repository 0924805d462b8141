import { z } from 'zod';

/** How to run the server: read once at the edge, validated, frozen, passed down. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Where the embedded SQLite database lives (`./data` by default). */
  readonly dataDir: string;
  /** PostgreSQL connection URL; when set, the registry uses PostgreSQL instead of SQLite. */
  readonly databaseUrl: string | undefined;
  /** The public base URL, used as the registry's name in evidence and in links. */
  readonly publicUrl: string;
  /** Load the demo catalog into an empty database on start. */
  readonly demo: boolean;
  /** Mark the session cookie `Secure` (on by default unless the public URL is plain http on localhost). */
  readonly secureCookies: boolean;
  /** Requests per minute per API key or session, and per IP address for anonymous requests. */
  readonly rateLimitPerMinute: number;
  readonly rateLimitAnonymousPerMinute: number;
  /** The transparency log's origin (checkpoint first line and key name), e.g. `heoga.example/log`. */
  readonly logOrigin: string;
  /** Where the log's signing key lives (created on first start, mode 0600). */
  readonly logKeyFile: string;
  /** Log level for pino. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const envSchema = z.object({
  HEOGA_HOST: z.string().min(1).default('0.0.0.0'),
  HEOGA_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HEOGA_DATA: z.string().min(1).default('./data'),
  HEOGA_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional(),
  HEOGA_PUBLIC_URL: z.url().optional(),
  HEOGA_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  HEOGA_SECURE_COOKIES: z.enum(['0', '1', 'true', 'false']).optional(),
  HEOGA_RATE_LIMIT: z.coerce.number().int().positive().default(6000),
  HEOGA_RATE_LIMIT_ANONYMOUS: z.coerce.number().int().positive().default(600),
  HEOGA_LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, 'no spaces or +')
    .optional(),
  HEOGA_LOG_KEY_FILE: z.string().min(1).optional(),
  HEOGA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A configuration problem: every bad setting at once, so that start-up fails with the whole list. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const truthy = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : v === '1' || v === 'true';

/**
 * Reads the server configuration from environment variables, with overrides (from command-line flags) on top.
 *
 * @example
 * ```ts
 * const config = loadServerConfig(process.env, { port: 9090 });
 * ```
 */
export function loadServerConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const port = overrides.port ?? e.HEOGA_PORT;
  const publicUrl = overrides.publicUrl ?? e.HEOGA_PUBLIC_URL ?? `http://localhost:${port}`;
  const local = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\/?$/.test(publicUrl);
  return Object.freeze({
    host: overrides.host ?? e.HEOGA_HOST,
    port,
    dataDir: overrides.dataDir ?? e.HEOGA_DATA,
    databaseUrl: overrides.databaseUrl ?? e.HEOGA_DATABASE_URL,
    publicUrl: publicUrl.replace(/\/$/, ''),
    demo: overrides.demo ?? truthy(e.HEOGA_DEMO) ?? true,
    secureCookies: overrides.secureCookies ?? truthy(e.HEOGA_SECURE_COOKIES) ?? !local,
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? e.HEOGA_RATE_LIMIT,
    rateLimitAnonymousPerMinute: overrides.rateLimitAnonymousPerMinute ?? e.HEOGA_RATE_LIMIT_ANONYMOUS,
    logOrigin: overrides.logOrigin ?? e.HEOGA_LOG_ORIGIN ?? `${new URL(publicUrl).host}/log`,
    logKeyFile: overrides.logKeyFile ?? e.HEOGA_LOG_KEY_FILE ?? `${overrides.dataDir ?? e.HEOGA_DATA}/log-signing.key`,
    logLevel: overrides.logLevel ?? e.HEOGA_LOG_LEVEL,
  });
}
